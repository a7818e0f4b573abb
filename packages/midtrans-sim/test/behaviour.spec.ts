// The simulator's state machine, webhooks and faults, driven as the suites and the demo drive them.
import { createHash, createHmac, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc16 } from '../src/qris.ts';
import { startSimulator, type Simulator } from '../src/server.ts';
import { call, receiver } from './helpers.ts';

let sim: Simulator;
let rx: Awaited<ReturnType<typeof receiver>>;
let token = '';
let n = 0;
const wib = (): string => `${new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;

async function newToken(): Promise<string> {
  const ts = wib();
  const sig = sign(
    'RSA-SHA256',
    Buffer.from(`${sim.credentials.clientId}|${ts}`),
    createPrivateKey(sim.credentials.merchantPrivateKeyPem ?? ''),
  ).toString('base64');
  const res = await call(
    sim,
    'POST',
    '/v1.0/access-token/b2b',
    { grant_type: 'client_credentials' },
    { 'x-timestamp': ts, 'x-client-key': sim.credentials.clientId, 'x-signature': sig },
  );
  return String(res.body['accessToken']);
}

async function snap(path: string, body: object, externalId = `b-${String(++n)}`) {
  const raw = JSON.stringify(body);
  const ts = wib();
  const sts = `POST:${path}:${token}:${createHash('sha256').update(raw).digest('hex')}:${ts}`;
  return call(sim, 'POST', path, raw, {
    authorization: `Bearer ${token}`,
    'x-timestamp': ts,
    'x-signature': createHmac('sha512', sim.credentials.clientSecret).update(sts).digest('base64'),
    'x-partner-id': sim.credentials.partnerId,
    'x-external-id': externalId,
    'channel-id': sim.credentials.channelId,
  });
}

const debit = (ref: string, validUpTo?: string) => ({
  partnerReferenceNo: ref,
  chargeToken: '',
  ...(validUpTo ? { validUpTo } : {}),
  payOptionDetails: [{ payMethod: 'SHOPEEPAY', payOption: 'SHOPEEPAY', transAmount: { value: '5000.00', currency: 'IDR' } }],
});

beforeAll(async () => {
  rx = await receiver();
  sim = await startSimulator({ webhooks: { snapBaseUrl: rx.url, timeScale: 60_000 } });
  token = await newToken();
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

describe('state machine and ledger', () => {
  it('expires a pending payment at validUpTo and refuses to let the customer pay it', async () => {
    const ref = `exp-${String(Date.now())}`;
    const charge = await snap('/v1.0/debit/payment-host-to-host', debit(ref, new Date(Date.now() + 300).toISOString()));
    await new Promise((r) => setTimeout(r, 400));
    const status = await snap('/v1.0/debit/status', { originalReferenceNo: charge.body['referenceNo'], serviceCode: '54' });
    expect(status.body['latestTransactionStatus']).toBe('08');
    expect((await call(sim, 'POST', '/_sim/pay', { partnerReferenceNo: ref })).status).toBe(409);
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === ref).map((e) => e.event)).toEqual(['charge', 'expired']);
  });

  it('refuses to cancel a settled payment and to refund more than was paid or twice with one partnerRefundNo', async () => {
    const ref = `settled-${String(Date.now())}`;
    const charge = await snap('/v1.0/debit/payment-host-to-host', debit(ref));
    await call(sim, 'POST', '/_sim/pay', { partnerReferenceNo: ref });
    const id = { originalReferenceNo: charge.body['referenceNo'], originalPartnerReferenceNo: ref };
    expect((await snap('/v1.0/debit/cancel', id)).body['responseCode']).toBe('4035715');
    expect(
      (await snap('/v1.0/debit/refund', { ...id, partnerRefundNo: 'r1', refundAmount: { value: '9000.00', currency: 'IDR' } })).body[
        'responseCode'
      ],
    ).toBe('4035815');
    expect(
      (await snap('/v1.0/debit/refund', { ...id, partnerRefundNo: 'r1', refundAmount: { value: '2000.00', currency: 'IDR' } })).body[
        'responseCode'
      ],
    ).toBe('2005800');
    expect(
      (await snap('/v1.0/debit/refund', { ...id, partnerRefundNo: 'r1', refundAmount: { value: '1000.00', currency: 'IDR' } })).body[
        'responseCode'
      ],
    ).toBe('4095801');
  });

  it('answers unknown transactions with 404xx01', async () => {
    expect((await snap('/v1.0/debit/status', { originalReferenceNo: 'nope', serviceCode: '54' })).body['responseCode']).toBe('4045501');
  });

  it('generates QRIS content with a valid CRC16-CCITT', async () => {
    const qr = await snap('/v1.0/qr/qr-mpm-generate', {
      partnerReferenceNo: `qr-${String(Date.now())}`,
      amount: { value: '12500.00', currency: 'IDR' },
      merchantId: 'M1',
    });
    const content = String(qr.body['qrContent']);
    expect(content.slice(-8, -4)).toBe('6304');
    expect(crc16(content.slice(0, -4))).toBe(content.slice(-4));
    expect(content).toContain('540512500');
  });
});

describe('webhooks', () => {
  it('signs every notification with the Midtrans key over the compact body, and retries until HTTP 200', async () => {
    let attempts = 0;
    const flaky = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(++attempts < 3 ? 500 : 200).end());
    });
    await new Promise<void>((d) => flaky.listen(0, '127.0.0.1', d));
    const url = `http://127.0.0.1:${String((flaky.address() as AddressInfo).port)}`;
    await call(sim, 'POST', '/_sim/webhooks', { snapBaseUrl: url });
    const ref = `retry-${String(Date.now())}`;
    await snap('/v1.0/debit/payment-host-to-host', debit(ref));
    await call(sim, 'POST', '/_sim/pay', { partnerReferenceNo: ref });
    await expect.poll(() => attempts, { timeout: 5000 }).toBe(3);
    const deliveries = sim.webhooks.deliveries.filter((d) => d.url.startsWith(url));
    expect(deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
    await call(sim, 'POST', '/_sim/webhooks', { snapBaseUrl: rx.url });
    await new Promise<void>((d) => flaky.close(() => d()));
  });

  it('drops, duplicates and mis-signs on request, and rotates its key', async () => {
    const check = (raw: string, headers: Record<string, string | string[] | undefined>, pem: string): boolean =>
      verify(
        'RSA-SHA256',
        Buffer.from(`POST:/v1.0/debit/notify:${createHash('sha256').update(raw).digest('hex')}:${String(headers['x-timestamp'])}`),
        createPublicKey(pem),
        Buffer.from(String(headers['x-signature']), 'base64'),
      );
    const dropped = `drop-${String(Date.now())}`;
    await call(sim, 'POST', '/_sim/webhooks', { dropOrders: [dropped], duplicate: true });
    for (const ref of [dropped, `dup-${String(Date.now())}`]) {
      await snap('/v1.0/debit/payment-host-to-host', debit(ref));
      await call(sim, 'POST', '/_sim/pay', { partnerReferenceNo: ref });
    }
    const dup = await rx.next((r) => r.raw.includes('dup-'));
    await expect.poll(() => rx.received.filter((r) => r.raw.includes('dup-')).length).toBe(2);
    expect(rx.received.some((r) => r.raw.includes(dropped))).toBe(false);
    expect(check(dup.raw, dup.headers, sim.credentials.midtransPublicKeyPem)).toBe(true);

    const oldKey = sim.credentials.midtransPublicKeyPem;
    const rotated = await call(sim, 'POST', '/_sim/rotate-midtrans-key', {});
    await call(sim, 'POST', '/_sim/webhooks', { duplicate: false, wrongSignature: true });
    const bad = `bad-${String(Date.now())}`;
    await snap('/v1.0/debit/payment-host-to-host', debit(bad));
    await call(sim, 'POST', '/_sim/pay', { partnerReferenceNo: bad });
    const mis = await rx.next((r) => r.raw.includes(bad));
    expect(check(mis.raw, mis.headers, String(rotated.body['midtransPublicKeyPem']))).toBe(false);
    await call(sim, 'POST', '/_sim/webhooks', { wrongSignature: false });
    const good = `good-${String(Date.now())}`;
    await snap('/v1.0/debit/payment-host-to-host', debit(good));
    await call(sim, 'POST', '/_sim/pay', { partnerReferenceNo: good });
    const ok = await rx.next((r) => r.raw.includes(good));
    expect(check(ok.raw, ok.headers, String(rotated.body['midtransPublicKeyPem']))).toBe(true);
    expect(check(ok.raw, ok.headers, oldKey)).toBe(false);
  });
});

describe('faults and credentials', () => {
  it('injects transient answers for the next N calls, then behaves', async () => {
    for (const [kind, code] of [
      ['error-500', '5005501'],
      ['error-504', '5045500'],
      ['in-progress-202', '2025500'],
      ['rate-limit-429', '4295500'],
    ] as const) {
      await call(sim, 'POST', '/_sim/faults', { kind, path: '/v1.0/debit/status', count: 1 });
      expect((await snap('/v1.0/debit/status', { originalReferenceNo: 'x', serviceCode: '54' })).body['responseCode'], kind).toBe(code);
      expect((await snap('/v1.0/debit/status', { originalReferenceNo: 'x', serviceCode: '54' })).body['responseCode']).toBe('4045501');
    }
    await call(sim, 'POST', '/_sim/faults', { kind: 'reset', path: '/v1.0/debit/status', count: 1 });
    await expect(snap('/v1.0/debit/status', { originalReferenceNo: 'x', serviceCode: '54' })).rejects.toThrow();
    await call(sim, 'POST', '/_sim/faults', { kind: 'latency', path: '/v1.0/debit/status', count: 1, latencyMs: 300 });
    const t = performance.now();
    await snap('/v1.0/debit/status', { originalReferenceNo: 'x', serviceCode: '54' });
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    expect((await call(sim, 'POST', '/_sim/faults', { kind: 'meteor' })).status).toBe(400);
  });

  it('logs each request a fault swallowed as it arrived, with status 0 and the fault', async () => {
    const status = { originalReferenceNo: 'x', serviceCode: '54' };
    await call(sim, 'POST', '/_sim/faults', { kind: 'reset', path: '/v1.0/debit/status', count: 1 });
    await expect(snap('/v1.0/debit/status', status)).rejects.toThrow();
    expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1.0/debit/status', status: 0, fault: 'reset' });
    await call(sim, 'POST', '/_sim/faults', { kind: 'no-answer', path: '/v1.0/debit/status', count: 1 });
    // Never answered: the request stays open until the simulator closes its connections.
    void snap('/v1.0/debit/status', status).catch(() => undefined);
    await expect.poll(() => sim.requests.at(-1)).toMatchObject({ path: '/v1.0/debit/status', status: 0, fault: 'no-answer' });
    expect((await snap('/v1.0/debit/status', status)).body['responseCode']).toBe('4045501');
    expect(sim.requests.at(-1)).not.toHaveProperty('fault');
  });

  it('expires tokens early on request, and refuses revoked credentials until reinstated', async () => {
    await call(sim, 'POST', '/_sim/faults', { kind: 'token-expired', path: '/v1.0/debit/status', count: 1 });
    expect((await snap('/v1.0/debit/status', { originalReferenceNo: 'x', serviceCode: '54' })).body['responseCode']).toBe('4015501');
    token = await newToken();
    await call(sim, 'POST', '/_sim/revoke', {});
    expect((await snap('/v1.0/debit/status', { originalReferenceNo: 'x', serviceCode: '54' })).body['responseCode']).toBe('4015501');
    await call(sim, 'POST', '/_sim/reinstate', {});
    token = await newToken();
    expect((await snap('/v1.0/debit/status', { originalReferenceNo: 'x', serviceCode: '54' })).body['responseCode']).toBe('4045501');
    const stats = await call(sim, 'GET', '/_sim/stats');
    expect(stats.body['transactions']).toBeGreaterThan(0);
  });
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
