// The simulator's state machine, webhooks and faults, driven as the suites and the demo drive them.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc16 } from '../src/qris.ts';
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
    token = await newToken(sim);
    await call(sim, 'POST', '/_sim/revoke', {});
    expect((await snap('/v1.0/debit/status', { originalReferenceNo: 'x', serviceCode: '54' })).body['responseCode']).toBe('4015501');
    await call(sim, 'POST', '/_sim/reinstate', {});
    token = await newToken(sim);
    expect((await snap('/v1.0/debit/status', { originalReferenceNo: 'x', serviceCode: '54' })).body['responseCode']).toBe('4045501');
    const stats = await call(sim, 'GET', '/_sim/stats');
    expect(stats.body['transactions']).toBeGreaterThan(0);
  });
});
