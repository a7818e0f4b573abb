// A card charge's 3DS challenge completed as a customer does it, in headless Chromium: charge →
// redirect_url → OTP 112233 → a Core API notification with a valid signature_key.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/server.ts';
import { call, receiver } from './helpers.ts';

let sim: Simulator;
let rx: Awaited<ReturnType<typeof receiver>>;
let browser: Browser;

beforeAll(async () => {
  const executablePath =
    execFileSync('bash', [join(import.meta.dirname, '../../../scripts/install-chromium.sh')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1) ?? '';
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  rx = await receiver();
  sim = await startSimulator({ webhooks: { coreNotificationUrl: `${rx.url}/notify`, timeScale: 6000 } });
}, 300_000);
afterAll(async () => {
  await browser.close();
  await sim.close();
  await rx.close();
});

const basic = (): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${sim.credentials.serverKey}:`).toString('base64')}` });

async function cardCharge(card: string, orderId: string): Promise<string> {
  const token = await call(
    sim,
    'GET',
    `/v2/token?card_number=${card}&card_exp_month=12&card_exp_year=2030&card_cvv=123&client_key=${sim.credentials.clientKey}`,
  );
  const charge = await call(
    sim,
    'POST',
    '/v2/charge',
    {
      payment_type: 'credit_card',
      transaction_details: { order_id: orderId, gross_amount: 275000 },
      credit_card: { token_id: token.body['token_id'], authentication: true },
    },
    basic(),
  );
  expect(charge.body).toMatchObject({ status_code: '201', transaction_status: 'pending' });
  return String(charge.body['redirect_url']);
}

async function completeChallenge(url: string, otp: string): Promise<string> {
  // The browser is the customer here; it is told to accept the simulator's per-run certificate.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(url);
  await page.fill('#otp', otp);
  await page.click('#submit');
  const result = await page.textContent('#result');
  await context.close();
  return result ?? '';
}

describe('3DS challenge in headless Chromium', () => {
  it('OTP 112233 captures the charge and a signature-valid notification reaches the merchant', async () => {
    const orderId = `card-${String(Date.now())}`;
    expect(await completeChallenge(await cardCharge('4811111111111114', orderId), '112233')).toBe('Payment successful');
    const note = await rx.next((r) => r.raw.includes(orderId));
    const body = JSON.parse(note.raw) as Record<string, string>;
    expect(body).toMatchObject({
      order_id: orderId,
      transaction_status: 'capture',
      fraud_status: 'accept',
      status_code: '200',
      gross_amount: '275000.00',
    });
    expect(body['signature_key']).toBe(createHash('sha512').update(`${orderId}200275000.00${sim.credentials.serverKey}`).digest('hex'));
    expect((await call(sim, 'GET', `/v2/${orderId}/status`, undefined, basic())).body['transaction_status']).toBe('capture');
  });

  it('a wrong OTP and a bank-denied card are denied', async () => {
    expect(await completeChallenge(await cardCharge('4811111111111114', `card-otp-${String(Date.now())}`), '000000')).toBe(
      'Payment denied',
    );
    expect(await completeChallenge(await cardCharge('4911111111111113', `card-deny-${String(Date.now())}`), '112233')).toBe(
      'Payment denied',
    );
  });
});
