// The whole system under a real load: 1,000 charge commands across the six payment methods (virtual
// accounts at every bank), two `paystream worker` processes behind a load balancer, the real broker
// and the simulator. Each order gets exactly its action_required, the customer pays, and Midtrans'
// notification — verified by the ingress and confirmed by inquiry — becomes exactly one succeeded.
// Every event is checked as a downstream service would: the contracts schema and verifier with the
// public key only, and the CloudEvents SDK.
import type {} from '@paystream/kafka-broker/global-setup';
import type { PaymentCommand } from '@paystream/contracts';
import { startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const METHODS = ['gopay', 'shopeepay', 'dana', 'qris', 'va', 'card-3ds'] as const;
const COMMANDS = 1_000;
/** Virtual accounts go round the banks the merchant has a partnerServiceId for. */
const BANKS = ['bca', 'bni', 'bri', 'permata', 'cimb', 'mandiri'] as const;

let system: PaystreamSystem | undefined;

beforeAll(async () => {
  system = await startSystem({
    name: 'thousand',
    brokers: inject('kafkaBrokers'),
    workers: 2,
    plugins: [...METHODS],
    // The reconciler stays out of this proof: every succeeded must come from a notification.
    reconcile: { firstMs: 600_000, maxMs: 600_000 },
  });
}, 180_000);

afterAll(async () => {
  await system?.close();
});

async function commands(s: PaystreamSystem): Promise<PaymentCommand[]> {
  const tag = Date.now().toString(36);
  const specs = Array.from({ length: COMMANDS }, (_, i) => {
    const method = METHODS[i % METHODS.length] ?? 'gopay';
    const bank = BANKS[Math.floor(i / METHODS.length) % BANKS.length];
    return {
      method,
      orderId: `k-${method}-${tag}-${String(i)}`,
      amount: 10_000 + i * 100,
      ...(method === 'va' ? { details: { bank } } : {}),
    };
  });
  const out: PaymentCommand[] = [];
  for (let i = 0; i < specs.length; i += 50) out.push(...(await Promise.all(specs.slice(i, i + 50).map((spec) => s.charge(spec)))));
  return out;
}

describe('1,000 payments through the worker processes', () => {
  it('gives every order exactly action_required then a notification-verified succeeded, every event verifiable downstream, one charge each', async () => {
    const s = system as PaystreamSystem;
    const sent = await commands(s);
    expect(sent).toHaveLength(COMMANDS);
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

    for (const c of sent) {
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
    expect(s.results.events.size).toBe(2 * COMMANDS);
    expect(s.results.problems).toEqual([]);
    expect(s.results.dlq).toEqual([]);
    const ledger = s.ledger();
    expect(ledger.problems).toEqual([]);
    expect(orders.filter((o) => ledger.paid.get(o) !== 1)).toEqual([]);
  }, 600_000);
});
