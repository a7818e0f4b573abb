// The simulated customer's browser: the 3DS challenge page in headless Chromium (Debian's chromium,
// installed by scripts/install-chromium.sh). The e-wallet's page needs no browser (fixture-kit.ts).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
