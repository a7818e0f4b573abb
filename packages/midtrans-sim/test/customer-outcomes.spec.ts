// What customers do (pay, decline, scan, transfer), amount limits, expiry notifications and resent
// notifications, driven as the suites and the demo drive them.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/server.ts';
import { call, receiver, type HttpAnswer } from './helpers.ts';
import { debit, newToken, signedSnap } from './snap-client.ts';

let sim: Simulator;
let rx: Awaited<ReturnType<typeof receiver>>;
let token = '';
const snap = (path: string, body: object, externalId?: string): Promise<HttpAnswer> => signedSnap(sim, token, path, body, externalId);

beforeAll(async () => {
  rx = await receiver();
  sim = await startSimulator({ webhooks: { snapBaseUrl: rx.url, timeScale: 60_000 } });
  token = await newToken(sim);
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

describe('customer outcomes, amount limits and expiry notifications', () => {
  const basic = (): Record<string, string> => ({
    authorization: `Basic ${Buffer.from(`${sim.credentials.serverKey}:`).toString('base64')}`,
  });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const notified = async (ref: string, status: string): Promise<void> => {
    await rx.next((r) => r.raw.includes(ref) && r.raw.includes(`"latestTransactionStatus":"${status}"`));
  };

  it('lets the customer decline on the payment page: 06 failed, a failed ledger entry and a notification, and nothing to pay afterwards', async () => {
    const ref = `decline-${String(Date.now())}`;
    const charge = await snap('/v1.0/debit/payment-host-to-host', debit(ref));
    const url = new URL(String(charge.body['webRedirectUrl'])).pathname;
    expect((await call(sim, 'GET', url)).text).toContain('id="decline"');
    expect((await call(sim, 'POST', url, 'decision=decline', form)).text).toContain('Payment declined');
    await notified(ref, '06');
    expect(
      (await snap('/v1.0/debit/status', { originalReferenceNo: charge.body['referenceNo'], serviceCode: '54' })).body[
        'latestTransactionStatus'
      ],
    ).toBe('06');
    expect((await call(sim, 'POST', '/_sim/pay', { partnerReferenceNo: ref })).status).toBe(409);
    expect((await call(sim, 'POST', '/_sim/decline', { partnerReferenceNo: ref })).status).toBe(409);
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === ref).map((e) => e.event)).toEqual(['charge', 'failed']);
    // The QRIS customer declines in the app through the admin API; a card is declined on its 3DS page instead.
    const qr = await snap('/v1.0/qr/qr-mpm-generate', {
      partnerReferenceNo: `qr-decline-${String(Date.now())}`,
      amount: { value: '7000.00', currency: 'IDR' },
      merchantId: 'M1',
    });
    expect((await call(sim, 'POST', '/_sim/decline', { referenceNo: qr.body['referenceNo'] })).body).toMatchObject({ status: '06' });
    const tok = await call(sim, 'GET', '/v2/token?card_number=4811111111111114&card_exp_month=12&card_exp_year=2030&card_cvv=123');
    const cardOrder = `card-decline-${String(Date.now())}`;
    await call(
      sim,
      'POST',
      '/v2/charge',
      {
        payment_type: 'credit_card',
        transaction_details: { order_id: cardOrder, gross_amount: 1000 },
        credit_card: { token_id: tok.body['token_id'], authentication: true },
      },
      basic(),
    );
    expect((await call(sim, 'POST', '/_sim/decline', { orderId: cardOrder })).status).toBe(409);
  });

  it('a customer app pays a QRIS charge by the QR content it scanned', async () => {
    const qr = await snap('/v1.0/qr/qr-mpm-generate', {
      partnerReferenceNo: `qr-scan-${String(Date.now())}`,
      amount: { value: '8000.00', currency: 'IDR' },
      merchantId: 'M1',
    });
    expect((await call(sim, 'POST', '/_sim/pay', { qrContent: qr.body['qrContent'] })).body).toMatchObject({
      referenceNo: qr.body['referenceNo'],
      status: '00',
    });
    expect((await call(sim, 'POST', '/_sim/pay', { qrContent: 'not a qr we made' })).status).toBe(404);
  });

  it('a payer transfers to the virtual account number as dialled, without the prefix padding', async () => {
    const customerNo = String(Date.now()).slice(-10);
    const trxId = `va-dial-${customerNo}`;
    await snap('/v1.0/transfer-va/create-va', {
      partnerServiceId: '   70012',
      customerNo,
      virtualAccountNo: `   70012${customerNo}`,
      virtualAccountName: 'Siti',
      trxId,
      totalAmount: { value: '9000.00', currency: 'IDR' },
      additionalInfo: { bank: 'bca' },
    });
    expect((await call(sim, 'POST', '/_sim/pay', { vaNumber: `70012${customerNo}` })).body).toMatchObject({ status: '00' });
    expect((await call(sim, 'POST', '/_sim/pay', { vaNumber: `70012${customerNo}` })).status).toBe(404);
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === trxId).map((e) => e.event)).toEqual(['charge', 'paid']);
  });

  it('refuses a charge above the configured amount limit with 403xx02 and creates nothing, until the limit is lifted', async () => {
    expect((await call(sim, 'POST', '/_sim/limits', { method: 'shopeepay', maxAmount: 4999 })).body).toMatchObject({
      amountLimits: { shopeepay: 4999 },
    });
    await call(sim, 'POST', '/_sim/limits', { method: 'qris', maxAmount: 100 });
    const ref = `limit-${String(Date.now())}`;
    expect((await snap('/v1.0/debit/payment-host-to-host', debit(ref))).body).toMatchObject({
      responseCode: '4035402',
      responseMessage: 'Exceeds Transaction Amount Limit',
    });
    expect(
      (
        await snap('/v1.0/qr/qr-mpm-generate', {
          partnerReferenceNo: `${ref}-qr`,
          amount: { value: '100.01', currency: 'IDR' },
          merchantId: 'M1',
        })
      ).body['responseCode'],
    ).toBe('4034702');
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo.startsWith(ref))).toEqual([]);
    expect((await call(sim, 'POST', '/_sim/limits', { method: 'shopeepay', maxAmount: -1 })).status).toBe(400);
    await call(sim, 'POST', '/_sim/limits', { method: 'shopeepay', maxAmount: null });
    await call(sim, 'POST', '/_sim/limits', { method: 'qris', maxAmount: null });
    expect((await snap('/v1.0/debit/payment-host-to-host', debit(ref))).body['responseCode']).toBe('2005400');
    expect(sim.amountLimits).toEqual({});
  });

  it('notifies the merchant when a payment expires, BI-SNAP and Core API alike, and tracks deliveries per order', async () => {
    const ref = `exp-note-${String(Date.now())}`;
    await snap('/v1.0/debit/payment-host-to-host', debit(ref));
    expect((await call(sim, 'POST', '/_sim/expire', { partnerReferenceNo: ref })).body).toMatchObject({ status: '08' });
    await notified(ref, '08');
    await expect.poll(() => sim.webhooks.outstanding(ref)).toBe(0);
    expect(sim.webhooks.deliveries.filter((d) => d.orderId === ref).map((d) => d.status)).toEqual([200]);

    sim.webhooks.config.coreNotificationUrl = `${rx.url}/core`;
    const tok = await call(sim, 'GET', '/v2/token?card_number=4811111111111114&card_exp_month=12&card_exp_year=2030&card_cvv=123');
    const order = `exp-card-${String(Date.now())}`;
    await call(
      sim,
      'POST',
      '/v2/charge',
      {
        payment_type: 'credit_card',
        transaction_details: { order_id: order, gross_amount: 1000 },
        credit_card: { token_id: tok.body['token_id'], authentication: true },
      },
      basic(),
    );
    await call(sim, 'POST', '/_sim/expire', { orderId: order });
    const note = JSON.parse((await rx.next((r) => r.path === '/core' && r.raw.includes(order))).raw) as Record<string, unknown>;
    expect(note).toMatchObject({ transaction_status: 'expire', status_code: '407' });
    expect(note['signature_key']).toBe(createHash('sha512').update(`${order}4071000.00${sim.credentials.serverKey}`).digest('hex'));
    expect((await call(sim, 'GET', `/v2/${order}/status`, undefined, basic())).body).toMatchObject({ transaction_status: 'expire' });
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === order).map((e) => e.event)).toEqual(['charge', 'expired']);
  });

  it('resends a notification, as it is now or as it was at an earlier status, signed like any other', async () => {
    const ref = `renotify-${String(Date.now())}`;
    await snap('/v1.0/debit/payment-host-to-host', debit(ref));
    await call(sim, 'POST', '/_sim/pay', { partnerReferenceNo: ref });
    await notified(ref, '00');
    expect((await call(sim, 'POST', '/_sim/renotify', { partnerReferenceNo: ref, status: '03' })).body).toMatchObject({ status: '03' });
    await notified(ref, '03');
    expect((await call(sim, 'POST', '/_sim/renotify', { partnerReferenceNo: ref, status: 'paid' })).status).toBe(400);
    expect(sim.store.find('debit', { partnerReferenceNo: ref })?.status).toBe('00');
    sim.webhooks.config.coreNotificationUrl = `${rx.url}/core`;
    const order = `renotify-core-${String(Date.now())}`;
    await call(sim, 'POST', '/v2/charge', { payment_type: 'gopay', transaction_details: { order_id: order, gross_amount: 1000 } }, basic());
    await call(sim, 'POST', '/_sim/renotify', { orderId: order, status: '08' });
    const note = JSON.parse((await rx.next((r) => r.path === '/core' && r.raw.includes(order))).raw) as Record<string, unknown>;
    expect(note).toMatchObject({ transaction_status: 'expire', status_code: '407' });
    expect(note['signature_key']).toBe(createHash('sha512').update(`${order}4071000.00${sim.credentials.serverKey}`).digest('hex'));
  });

  it('keeps one charge in the ledger for an FDS challenge: charge, challenge, then paid on approval', async () => {
    const tok = await call(sim, 'GET', '/v2/token?card_number=4611111111111116&card_exp_month=12&card_exp_year=2030&card_cvv=123');
    const order = `fds-ledger-${String(Date.now())}`;
    const charge = await call(
      sim,
      'POST',
      '/v2/charge',
      {
        payment_type: 'credit_card',
        transaction_details: { order_id: order, gross_amount: 1000 },
        credit_card: { token_id: tok.body['token_id'], authentication: true },
      },
      basic(),
    );
    await call(sim, 'POST', new URL(String(charge.body['redirect_url'])).pathname, 'otp=112233', form);
    // Under review the customer's part is over: it cannot expire any more.
    await call(sim, 'POST', '/_sim/expire', { orderId: order });
    await call(sim, 'POST', `/v2/${order}/approve`, {}, basic());
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === order).map((e) => e.event)).toEqual(['charge', 'challenge', 'paid']);
  });
});
