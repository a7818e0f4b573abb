// The VA plugin against the simulator over real HTTPS, through core's Midtrans client — the façade
// the worker hands plugins — with the identifiers and merchant account the runtime derives: open a
// virtual account, replay it on redelivery, see the customer pay through a signed notification
// naming the charge's trxId, confirm by inquiry, and delete an unpaid one.
import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCore, createLogger, parseCoreConfig, type CoreServices } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { MidtransError, type KnownReferences, type MerchantAccount, type Operation, type PaymentUpdate } from '@paystream/plugin-sdk';
import { vaPlugin } from '@paystream/plugin-va';
import { deriveIds } from '@paystream/runtime';
import { coreConfigFromSimulator } from '@paystream/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationReceiver, type NotificationReceiver } from './receiver.ts';

let sim: Simulator;
let core: CoreServices;
let rx: NotificationReceiver;
let account: MerchantAccount;
const dir = mkdtempSync(join(tmpdir(), 'paystream-va-'));

beforeAll(async () => {
  rx = await notificationReceiver();
  sim = await startSimulator({ webhooks: { snapBaseUrl: rx.url, timeScale: 6000 } });
  writeDescriptor(sim, join(dir, 'sim.json'));
  core = await createCore(parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), dir)), {
    logger: createLogger({ name: 'va-e2e', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() })),
    watchKeys: false,
  });
  // What the worker hands plugins as ctx.account: the default merchant's MID and VA prefixes.
  const merchant = core.keyRing.merchant();
  account = { ...(merchant.merchantId ? { merchantId: merchant.merchantId } : {}), vaPartnerServiceIds: merchant.virtualAccounts };
});
afterAll(async () => {
  await core.close();
  await sim.close();
  await rx.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Order {
  readonly orderId: string;
  readonly chargeCommandId: string;
  readonly details: Record<string, unknown>;
  /** Fixed per order, as a command carries it: the account's expiry derives from it. */
  readonly requestedAt: string;
  references: KnownReferences;
}

const newOrder = (bank: string): Order => ({
  orderId: `va-e2e-${bank}-${randomUUID().slice(0, 8)}`,
  chargeCommandId: randomUUID(),
  details: { bank },
  requestedAt: new Date().toISOString(),
  references: {},
});

/**
 * Runs one command as the dispatcher does: ids from the commandId, the order's references so far.
 * `handledBy` is the operation the dispatcher calls, which for a charge whose outcome was unknown is `status`.
 */
async function run(order: Order, op: Operation, handledBy: Operation = op): Promise<PaymentUpdate> {
  const commandId = op === 'charge' ? order.chargeCommandId : randomUUID();
  const handler = vaPlugin.operations[handledBy];
  if (!handler) throw new Error(`va does not declare ${handledBy}`);
  const command = {
    commandId,
    type: `payment.${op}` as const,
    method: 'va',
    orderId: order.orderId,
    amount: { value: 310_000, currency: 'IDR' as const },
    details: vaPlugin.details.parse(order.details) as Record<string, unknown>,
    requestedAt: order.requestedAt,
  };
  const ids = deriveIds(commandId);
  const references = op === 'charge' ? { externalId: ids.externalId } : order.references;
  const update = await handler({ command, midtrans: core.client, ids, references, account, now: () => new Date() });
  order.references = { ...order.references, ...update.references };
  return update;
}

function simPay(trxId: string): Promise<{ status?: string }> {
  return new Promise((done, fail) => {
    const req = request(
      `${sim.baseUrl}/_sim/pay`,
      { method: 'POST', ca: sim.caCertPem, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status?: string }));
      },
    );
    req.on('error', fail);
    req.end(JSON.stringify({ partnerReferenceNo: trxId }));
  });
}

describe('the VA plugin against the simulator', () => {
  it('opens a BCA account, replays it on redelivery, and reads the payment the notification announces', async () => {
    const order = newOrder('bca');
    const charge = await run(order, 'charge');
    expect(charge).toMatchObject({ status: 'action_required', responseCode: '2002700', action: { kind: 'virtual_account', bank: 'bca' } });
    const trxId = order.references['trxId'] ?? '';
    expect(order.references['externalId']).toBe(trxId);
    expect(charge.action?.vaNumber).toBe(`70012${order.references['customerNo'] ?? ''}`);
    expect(sim.store.find('va', { partnerReferenceNo: trxId })?.extra['virtualAccountNo']).toBe(order.references['virtualAccountNo']);

    // A redelivered command sends the same bytes with the same X-EXTERNAL-ID: Midtrans replays, opens nothing new.
    expect(await run(order, 'charge')).toEqual(charge);
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === trxId && e.event === 'charge')).toHaveLength(1);
    expect((await run(order, 'status')).status).toBe('pending');

    expect((await simPay(trxId)).status).toBe('00');
    const note = await rx.next((n) => n.raw.includes(trxId));
    expect(vaPlugin.notifications.snapPaths).toContain(note.path);
    expect(
      core.verifier.verifySnap({
        method: 'POST',
        path: note.path,
        timestamp: note.headers['x-timestamp'],
        signature: note.headers['x-signature'],
        rawBody: Buffer.from(note.raw),
      }).valid,
    ).toBe(true);
    // The ingress finds the order by the notification's trxId, which the charge recorded as externalId.
    expect((JSON.parse(note.raw) as { trxId?: string }).trxId).toBe(order.references['externalId']);

    const paid = await run(order, 'status');
    expect(paid).toMatchObject({ status: 'succeeded', amount: 310_000, responseCode: '2002600' });
    expect(order.references['paymentRequestId']).toBeTruthy();
    // A paid account cannot be deleted; the inquiry says what is true.
    expect((await run(order, 'cancel')).status).toBe('succeeded');
  });

  it('deletes an unpaid Mandiri account, after which it reads canceled', async () => {
    const order = newOrder('mandiri');
    expect((await run(order, 'charge')).status).toBe('action_required');
    expect(await run(order, 'cancel')).toMatchObject({ status: 'canceled', responseCode: '2003100' });
    expect((await run(order, 'status')).status).toBe('canceled');
    expect(sim.store.find('va', { partnerReferenceNo: order.references['trxId'] })?.status).toBe('05');
  });

  it('opens an account at every bank the simulator configuration names', async () => {
    for (const bank of Object.keys(account.vaPartnerServiceIds)) {
      const order = newOrder(bank);
      const charge = await run(order, 'charge');
      expect(charge.status, bank).toBe('action_required');
      expect(charge.action?.vaNumber, bank).toMatch(new RegExp(`^${account.vaPartnerServiceIds[bank] ?? '-'}\\d{12}$`));
    }
  });

  it('resolves a create whose answers were lost: the inquiry the runtime then makes sends the same create again', async () => {
    const order = newOrder('bri');
    sim.faults.add({ kind: 'error-504', path: '/v1.0/transfer-va/create-va', remaining: core.config.http.maxAttempts });
    const lost: unknown = await run(order, 'charge').catch((err: unknown) => err);
    expect(MidtransError.is(lost) && lost.outcomeUnknown).toBe(true);
    const resolved = await run(order, 'charge', 'status');
    expect(resolved).toMatchObject({
      status: 'action_required',
      responseCode: '2002700',
      action: { kind: 'virtual_account', bank: 'bri' },
    });
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === order.references['trxId'] && e.event === 'charge')).toHaveLength(1);
  });

  it('fails a charge at a bank without a configured partnerServiceId, sending Midtrans nothing', async () => {
    const order = newOrder('danamon');
    expect(account.vaPartnerServiceIds['danamon']).toBeUndefined();
    const creates = () => sim.requests.filter((r) => r.path === '/v1.0/transfer-va/create-va').length;
    const before = creates();
    const charge = await run(order, 'charge');
    expect(charge.status).toBe('failed');
    expect(charge.reason).toContain('virtualAccounts.danamon');
    expect(creates()).toBe(before);
  });
});
