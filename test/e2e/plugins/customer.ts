// The simulated customer: the e-wallet's authorisation page in a browser's place, and the 3DS
// challenge page in headless Chromium (Debian's chromium, installed by scripts/install-chromium.sh).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { HttpsClient } from '@paystream/test-harness';

const resultOf = (html: string): string => /id="result">([^<]*)/.exec(html)?.[1] ?? html.slice(0, 200);

/** The customer opens the e-wallet link, sees the amount, and authorises or declines; returns what the page said. */
export async function walletPage(
  http: HttpsClient,
  url: string,
  decision: 'authorise' | 'decline',
): Promise<{ amount: string; result: string }> {
  const page = await http.send(url);
  const amount = /id="amount">([^<]*)/.exec(page.text)?.[1] ?? '';
  const answer = await http.send(url, { method: 'POST', body: `decision=${decision}`, contentType: 'application/x-www-form-urlencoded' });
  return { amount, result: resultOf(answer.text) };
}

export interface ThreeDsBrowser {
  /** Opens the 3DS page, types the OTP, submits; returns what the issuer's page said. */
  complete(url: string, otp: string): Promise<string>;
  close(): Promise<void>;
}

export async function threeDsBrowser(): Promise<ThreeDsBrowser> {
  const script = join(import.meta.dirname, '../../../scripts/install-chromium.sh');
  const executablePath = execFileSync('bash', [script], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
  const browser: Browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  return {
    complete: async (url, otp) => {
      // The browser is the customer's: it is told to accept the simulator's per-run certificate.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      try {
        const page = await context.newPage();
        await page.goto(url);
        await page.fill('#otp', otp);
        await page.click('#submit');
        return (await page.textContent('#result')) ?? '';
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}
