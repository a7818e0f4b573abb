// Core API actions on card charges: 3DS outcomes, FDS review, expiry, direct refunds and the server key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/server.ts';
import { call, receiver } from './helpers.ts';

let sim: Simulator;
let rx: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  rx = await receiver();
  sim = await startSimulator({ webhooks: { snapBaseUrl: rx.url, timeScale: 60_000 } });
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

describe('Core API actions', () => {
  const basic = (): Record<string, string> => ({
    authorization: `Basic ${Buffer.from(`${sim.credentials.serverKey}:`).toString('base64')}`,
  });
  async function card(number: string, orderId: string): Promise<string> {
    const tok = await call(sim, 'GET', `/v2/token?card_number=${number}&card_exp_month=12&card_exp_year=2030&card_cvv=123`);
    const charge = await call(
      sim,
      'POST',
      '/v2/charge',
      {
        payment_type: 'credit_card',
        transaction_details: { order_id: orderId, gross_amount: 90000 },
        credit_card: { token_id: tok.body['token_id'], authentication: true },
      },
      basic(),
    );
    return new URL(String(charge.body['redirect_url'])).pathname;
  }

  it('puts an FDS challenge under review until approve or deny settles it', async () => {
    for (const [action, status, fraud] of [
      ['approve', 'capture', 'accept'],
      ['deny', 'deny', 'deny'],
    ] as const) {
      const orderId = `fds-${action}-${String(Date.now())}`;
      await call(sim, 'POST', await card('4611111111111116', orderId), 'otp=112233', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect((await call(sim, 'GET', `/v2/${orderId}/status`, undefined, basic())).body).toMatchObject({
        transaction_status: 'capture',
        fraud_status: 'challenge',
      });
      expect((await call(sim, 'POST', `/v2/${orderId}/${action}`, {}, basic())).body).toMatchObject({
        transaction_status: status,
        fraud_status: fraud,
      });
    }
  });

  it('refuses a card charge without 3DS, expires a pending charge, refunds a settled one directly, and rejects a wrong server key', async () => {
    const tok = await call(sim, 'GET', '/v2/token?card_number=4811111111111114&card_exp_month=12&card_exp_year=2030&card_cvv=123');
    const no3ds = await call(
      sim,
      'POST',
      '/v2/charge',
      {
        payment_type: 'credit_card',
        transaction_details: { order_id: `no3ds-${String(Date.now())}`, gross_amount: 1000 },
        credit_card: { token_id: tok.body['token_id'], authentication: false },
      },
      basic(),
    );
    expect(no3ds.body['status_code']).toBe('400');
    const pending = `exp-core-${String(Date.now())}`;
    await call(
      sim,
      'POST',
      '/v2/charge',
      { payment_type: 'gopay', transaction_details: { order_id: pending, gross_amount: 1000 } },
      basic(),
    );
    expect((await call(sim, 'POST', `/v2/${pending}/expire`, {}, basic())).body).toMatchObject({
      status_code: '407',
      transaction_status: 'expire',
    });
    const settled = `direct-${String(Date.now())}`;
    await call(
      sim,
      'POST',
      '/v2/charge',
      { payment_type: 'qris', transaction_details: { order_id: settled, gross_amount: 1000 } },
      basic(),
    );
    await call(sim, 'POST', '/_sim/pay', { orderId: settled });
    expect((await call(sim, 'POST', `/v2/${settled}/refund/online/direct`, { refund_key: 'rk' }, basic())).body['transaction_status']).toBe(
      'refund',
    );
    expect((await call(sim, 'GET', `/v2/${settled}/status`, undefined, { authorization: 'Basic d3Jvbmc6' })).status).toBe(401);
  });
});
