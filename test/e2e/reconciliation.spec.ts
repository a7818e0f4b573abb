// Settlement reconciliation as an operator runs it: a simulator "day" of payments across the six
// methods, every one paid and verified, then three differences made at Midtrans behind Paystream's
// back — a payment the worker never heard of, a settled amount changed in Midtrans' ledger, an order
// Midtrans expired without telling anyone — and a forged result slipped onto the results topic.
// `paystream reconcile` finds exactly those three, uses nothing of the forged record, and finds no
// difference over the 1,000 clean payments (PAYSTREAM_RECONCILE_PAYMENTS sets another number).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import type { PaymentEvent } from '@paystream/contracts';
import { runPaystream, startSystem, systemCliFlags, until, type CliRun, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { METHODS, NO_RECONCILE, payAndVerify } from './payment-runs.ts';

const CLEAN = Number(process.env['PAYSTREAM_RECONCILE_PAYMENTS'] ?? 1_000);
let s: PaystreamSystem;
let from: string;
let to: string;
/** What was done behind Paystream's back. */
const made = { tampered: '', expired: '', unknownReference: '' };
const dir = mkdtempSync(join(tmpdir(), 'paystream-reconcile-'));

interface Report {
  readonly read: { midtrans: number; paystream: number };
  readonly counts: Record<string, number>;
  readonly differences: { kind: string; orderId?: string; referenceNo?: string; midtrans?: { amount: { value: string } } }[];
  readonly unverifiable: { reason: string }[];
}

function reconcile(...args: string[]): Promise<CliRun> {
  return runPaystream(['reconcile', '--from', from, '--to', to, ...args, ...systemCliFlags(s, inject('kafkaBrokers'))]);
}

const event = (orderId: string, type: PaymentEvent['type']): PaymentEvent | undefined => s.results.paymentEvent(orderId, type);

/** One GoPay order charged, waiting for its customer; paid too when `pay` says so. */
async function gopayOrder(name: string, pay: boolean): Promise<string> {
  const command = await s.charge({ method: 'gopay', orderId: `${name}-${Date.now().toString(36)}`, amount: 42_000 });
  await s.upstream.send([command]);
  if (pay) await s.payWhenAsked([command.orderId], { timeoutMs: 60_000 });
  const awaited = pay ? 'paystream.payment.succeeded' : 'paystream.payment.action_required';
  await until(
    () => event(command.orderId, awaited) !== undefined,
    () => `${command.orderId} never got ${awaited}`,
    { timeoutMs: 60_000 },
  );
  return command.orderId;
}

/** A copy of a real succeeded result for an order of its own: well formed, but its signature no longer matches. */
async function forgeResult(): Promise<void> {
  const real = [...s.results.events.values()].map((c) => c.event).find((e) => e.type === 'paystream.payment.succeeded');
  if (!real || real.type === 'paystream.command.rejected') throw new Error('no succeeded result to copy');
  const forged = { ...real, id: randomUUID(), data: { ...real.data, orderId: `forged-${Date.now().toString(36)}` } };
  const producer = s.kafka.producer();
  await producer.connect();
  await producer.send({ topic: s.names.results, messages: [{ key: forged.data.orderId, value: JSON.stringify(forged) }] });
  await producer.disconnect();
}

beforeAll(async () => {
  s = await startSystem({ name: 'reconcile', brokers: inject('kafkaBrokers'), plugins: [...METHODS], reconcile: NO_RECONCILE });
  from = new Date(Date.now() - 1_000).toISOString();
  await payAndVerify(s, CLEAN, 'rc');
  made.tampered = await gopayOrder('tampered', true);
  await s.simulator.admin.ok('POST', '/discrepancy', { kind: 'amount', orderId: made.tampered, value: '43000.00' });
  made.expired = await gopayOrder('expired', false);
  await s.simulator.admin.ok('POST', '/discrepancy', { kind: 'expire', orderId: made.expired });
  const outside = (await s.simulator.admin.ok('POST', '/discrepancy', { kind: 'payment', method: 'shopeepay', amount: '15000.00' })) as {
    referenceNo: string;
  };
  made.unknownReference = outside.referenceNo;
  await forgeResult();
  to = new Date(Date.now() + 1_000).toISOString();
}, 600_000);

afterAll(async () => {
  await s.close();
});

describe('paystream reconcile over a simulator day', () => {
  it('finds exactly the three differences made at Midtrans, none over the clean payments, and trusts no forged result', async () => {
    const metrics = join(dir, 'reconcile.prom');
    const run = await reconcile('--format', 'json', '--metrics-file', metrics);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.differences.map((d) => [d.kind, d.orderId ?? d.referenceNo])).toEqual([
      ['status_differs', made.expired],
      ['amount_differs', made.tampered],
      ['unknown_to_paystream', made.unknownReference],
    ]);
    expect(report.differences[1]?.midtrans?.amount.value).toBe('43000.00');
    expect(report.read).toEqual({ midtrans: CLEAN + 3, paystream: CLEAN + 2 });
    expect(report.unverifiable.map((u) => u.reason)).toEqual(['the signature does not match the event']);
    const prom = readFileSync(metrics, 'utf8');
    expect(prom).toContain('paystream_reconciliation_differences{kind="amount_differs"} 1\n');
    expect(prom).toContain('paystream_reconciliation_differences{kind="missing_at_midtrans"} 0\n');
    expect(prom).toContain('paystream_reconciliation_unverifiable_results 1\n');
  });

  it('keeps to one method: GoPay as CSV, and the card payments, read by the Core API status, all agreeing', async () => {
    const gopay = await reconcile('--method', 'gopay', '--format', 'csv');
    expect(gopay.code).toBe(1);
    const rows = gopay.stdout.trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',').slice(0, 2).join(','))).toEqual([
      `status_differs,${made.expired}`,
      `amount_differs,${made.tampered}`,
    ]);
    const cards = await reconcile('--method', 'card-3ds');
    // Only the forged record keeps the exit status at 1: no card payment differs.
    expect(cards.stdout).toContain('no differences');
    expect(cards.stdout).toContain('1 result record(s) failed verification and were not used');
    expect(cards.code).toBe(1);
  });
});
