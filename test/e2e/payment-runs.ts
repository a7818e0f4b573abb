// The whole-system payment run shared by the end-to-end suites: charges across the six methods (virtual
// accounts round the banks), customers paying when asked, and every order checked for exactly
// action_required then a notification-verified succeeded, each event verified as downstream would.
import type { PaymentCommand } from '@paystream/contracts';
import { until, type PaystreamSystem } from '@paystream/test-harness';
import { expect } from 'vitest';

export const METHODS = ['gopay', 'shopeepay', 'dana', 'qris', 'va', 'card-3ds'] as const;
/** Virtual accounts go round the banks the merchant has a partnerServiceId for. */
const BANKS = ['bca', 'bni', 'bri', 'permata', 'cimb', 'mandiri'] as const;
/** The reconciler stays out of these proofs: every succeeded must come from a notification. */
export const NO_RECONCILE = { firstMs: 600_000, maxMs: 600_000 };

async function chargeCommands(s: PaystreamSystem, count: number, name: string): Promise<PaymentCommand[]> {
  const tag = Date.now().toString(36);
  const specs = Array.from({ length: count }, (_, i) => {
    const method = METHODS[i % METHODS.length] ?? 'gopay';
    const bank = BANKS[Math.floor(i / METHODS.length) % BANKS.length];
    return {
      method,
      orderId: `${name}-${method}-${tag}-${String(i)}`,
      amount: 10_000 + i * 100,
      ...(method === 'va' ? { details: { bank } } : {}),
    };
  });
  const out: PaymentCommand[] = [];
  for (let i = 0; i < specs.length; i += 50) out.push(...(await Promise.all(specs.slice(i, i + 50).map((spec) => s.charge(spec)))));
  return out;
}

function expectActionThenSucceeded(s: PaystreamSystem, c: PaymentCommand): void {
  const events = s.results.forOrder(c.orderId).map((x) => x.event);
  expect(
    events.map((e) => e.type),
    c.orderId,
  ).toEqual(['paystream.payment.action_required', 'paystream.payment.succeeded']);
  for (const e of events) {
    if (e.type === 'paystream.command.rejected') throw new Error(`${c.orderId} was rejected`);
    expect(e.data.commandId).toBe(c.commandId);
    expect(e.data.amount).toEqual(c.amount);
    expect(e.data.method).toBe(c.method);
  }
  expect(events.map((e) => (e.type === 'paystream.command.rejected' ? undefined : e.data.verification))).toEqual([
    'response',
    'notification+inquiry',
  ]);
}

/** Publishes `count` charges, has each paid, and checks every order, event, DLQ and the ledger. */
export async function payAndVerify(s: PaystreamSystem, count: number, name: string): Promise<void> {
  const sent = await chargeCommands(s, count, name);
  expect(sent).toHaveLength(count);
  expect(new Set(sent.map((c) => c.method))).toEqual(new Set(METHODS));
  await s.upstream.send(sent);
  const orders = sent.map((c) => c.orderId);
  await s.payWhenAsked(orders, { timeoutMs: 240_000 });
  const done = (): number => orders.filter((o) => s.results.paymentEvent(o, 'paystream.payment.succeeded')).length;
  await until(
    () => done() === orders.length,
    () => `${String(done())} of ${String(orders.length)} orders succeeded`,
    { timeoutMs: 180_000 },
  );
  for (const c of sent) expectActionThenSucceeded(s, c);
  expect(s.results.events.size).toBe(2 * count);
  expect(s.results.problems).toEqual([]);
  expect(s.results.dlq).toEqual([]);
  const ledger = s.ledger();
  expect(ledger.problems).toEqual([]);
  expect(orders.filter((o) => ledger.paid.get(o) !== 1)).toEqual([]);
}
