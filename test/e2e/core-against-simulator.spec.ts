// Paystream's own Midtrans client, key ring, TLS policy and notification verifier against the
// simulator over real HTTPS: every request it makes passes the simulator's strict checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCore, createLogger, parseCoreConfig, type CoreServices } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { coreConfigFromSimulator } from '@paystream/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationReceiver, type NotificationReceiver } from './receiver.ts';

let sim: Simulator;
let core: CoreServices;
let rx: NotificationReceiver;
const dir = mkdtempSync(join(tmpdir(), 'paystream-e2e-'));

beforeAll(async () => {
  rx = await notificationReceiver();
  sim = await startSimulator({ webhooks: { snapBaseUrl: rx.url, coreNotificationUrl: `${rx.url}/core`, timeScale: 6000 } });
  writeDescriptor(sim, join(dir, 'sim.json'));
  const config = parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), dir));
  core = await createCore(config, {
    logger: createLogger({ name: 'e2e', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() })),
    watchKeys: false,
  });
});
afterAll(async () => {
  await core.close();
  await sim.close();
  await rx.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('core client against the simulator', () => {
  it('charges by direct debit, sees the customer pay through a verified notification, and refunds', async () => {
    const order = `e2e-${String(Date.now())}`;
    const charge = await core.client.snap({
      path: '/v1.0/debit/payment-host-to-host',
      externalId: `${order}-charge`,
      body: {
        partnerReferenceNo: order,
        chargeToken: '',
        payOptionDetails: [{ payMethod: 'GOPAY', payOption: 'GOPAY', transAmount: { value: '150000.00', currency: 'IDR' } }],
      },
    });
    expect(charge).toMatchObject({ ok: true, responseCode: { raw: '2005400' } });
    const referenceNo = charge.body['referenceNo'];
    if (typeof referenceNo !== 'string') throw new Error('the charge answer carries no referenceNo');
    const paid = await fetchWithCa(`${sim.baseUrl}/_sim/pay`, { referenceNo });
    expect(paid['status']).toBe('00');
    const note = await rx.next((n) => n.raw.includes(referenceNo) && n.raw.includes('"latestTransactionStatus":"00"'));
    const verdict = core.verifier.verifySnap({
      method: 'POST',
      path: note.path,
      timestamp: note.headers['x-timestamp'],
      signature: note.headers['x-signature'],
      rawBody: Buffer.from(note.raw),
    });
    expect(verdict.valid).toBe(true);
    const status = await core.client.snap({
      path: '/v1.0/debit/status',
      externalId: `${order}-status`,
      body: { originalReferenceNo: referenceNo, serviceCode: '54' },
    });
    expect(status.body['latestTransactionStatus']).toBe('00');
    const refund = await core.client.snap({
      path: '/v1.0/debit/refund',
      externalId: `${order}-refund`,
      body: {
        originalReferenceNo: referenceNo,
        originalPartnerReferenceNo: order,
        partnerRefundNo: `${order}-r1`,
        refundAmount: { value: '150000.00', currency: 'IDR' },
      },
    });
    expect(refund).toMatchObject({ ok: true, responseCode: { raw: '2005800' } });
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === order).map((e) => e.event)).toEqual(['charge', 'paid', 'refund']);
  });

  it('retries an ambiguous 504 with the same X-EXTERNAL-ID: Midtrans charges once', async () => {
    const order = `e2e-amb-${String(Date.now())}`;
    sim.faults.add({ kind: 'error-504', path: '/v1.0/qr/qr-mpm-generate', remaining: 1 });
    const qr = await core.client.snap({
      path: '/v1.0/qr/qr-mpm-generate',
      externalId: order,
      body: { partnerReferenceNo: order, amount: { value: '20000.00', currency: 'IDR' }, merchantId: sim.credentials.merchantId },
    });
    expect(qr).toMatchObject({ ok: true, responseCode: { raw: '2004700' } });
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === order && e.event === 'charge')).toHaveLength(1);
  });

  it('calls the Core API with Basic auth and an Idempotency-Key; a repeated charge is not charged twice', async () => {
    const order = `e2e-core-${String(Date.now())}`;
    const body = { payment_type: 'gopay', transaction_details: { order_id: order, gross_amount: 30000 } };
    const first = await core.client.coreApi({ method: 'POST', path: '/v2/charge', body, idempotencyKey: order });
    const again = await core.client.coreApi({ method: 'POST', path: '/v2/charge', body, idempotencyKey: order });
    expect(first).toMatchObject({ ok: true, statusCode: '201' });
    expect(again.body).toEqual(first.body);
    const status = await core.client.coreApi({ method: 'GET', path: `/v2/${order}/status` });
    expect(status.body['transaction_status']).toBe('pending');
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === order && e.event === 'charge')).toHaveLength(1);
  });
});

async function fetchWithCa(url: string, body: unknown): Promise<Record<string, unknown>> {
  const { request } = await import('node:https');
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', ca: sim.caCertPem, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
    });
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}
