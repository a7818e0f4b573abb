// Lost notifications: Midtrans never delivers the webhook of a batch of orders that customers then pay
// (`dropOrders`: not even one attempt), while the rest of the traffic is notified as usual. Only the
// reconciler's status inquiries can find those payments — and one of the two workers is killed with
// SIGKILL while they wait, so orders on its partitions are found by whoever owns them next, from the
// schedule rebuilt out of the order state. Each gets exactly one verified `succeeded`, by inquiry.
import type {} from '@paystream/kafka-broker/global-setup';
import type { PaymentCommand } from '@paystream/contracts';
import { deriveIds } from '@paystream/runtime';
import { readLogLines, startSystem, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sized } from '../src/record.ts';
import { conclude, expectClean, expectPaidOnce, orderPlan, PAYING_METHODS, reached, runTag, untilAll } from '../src/scenario.ts';

const LOST = sized(40, 200);
const NOTIFIED = sized(60, 300);
const WORKERS = 2;
const VICTIM = 0;
/**
 * Long enough that the batch is still waiting when the worker dies (the first inquiry comes this
 * long after an order's last change), short enough for the run to end soon after.
 */
const RECONCILE = { firstMs: sized(30_000, 60_000), maxMs: sized(30_000, 60_000) };

let system: PaystreamSystem | undefined;

beforeAll(async () => {
  system = await startSystem({
    name: 'lost-notification',
    brokers: inject('kafkaBrokers'),
    workers: WORKERS,
    plugins: [...PAYING_METHODS],
    reconcile: RECONCILE,
  });
});

afterAll(async () => {
  await system?.close();
});

/** Batch orders each worker slot found paid by inquiry, before and after its restart (the harness marks each start). */
function foundBy(s: PaystreamSystem, batch: ReadonlySet<string>): string[] {
  return s.workers.slots.map((w) => {
    let start = 0;
    const found = new Map<number, number>();
    for (const l of readLogLines([w.stdoutFile])) {
      if (l.json?.['harness'] === 'worker start') start = Number(l.json['start']);
      else if (l.json?.['msg'] === 'reconciled' && l.json['outcome'] === 'succeeded' && batch.has(String(l.json['orderId'])))
        found.set(start, (found.get(start) ?? 0) + 1);
    }
    return `worker ${String(w.index)}: ${[...found].map(([n, k]) => `${String(k)} (start ${String(n)})`).join(', ') || 'none'}`;
  });
}

/** What the simulator names an order by in its notifications: the order id, or for QRIS the charge's X-EXTERNAL-ID. */
const notificationIds = (c: PaymentCommand): string[] => [c.orderId, deriveIds(c.commandId).externalId];

describe('lost-notification: webhooks of paid orders never delivered, a worker killed while they wait', () => {
  it('publishes exactly one succeeded for each, found by status inquiry', async () => {
    const s = system as PaystreamSystem;
    const startedAt = Date.now();
    const tag = runTag('lost');
    const lost = await Promise.all(orderPlan(`${tag}-lost`, LOST).map((spec) => s.charge(spec)));
    const notified = await Promise.all(orderPlan(`${tag}-notified`, NOTIFIED).map((spec) => s.charge(spec)));
    const all = [...lost, ...notified];
    await s.simulator.admin.webhooks({ dropOrders: lost.flatMap(notificationIds) });
    await s.upstream.send(all);
    const paying = s.payWhenAsked(
      notified.map((c) => c.orderId),
      { timeoutMs: 300_000 },
    );
    await s.payWhenAsked(
      lost.map((c) => c.orderId),
      { timeoutMs: 300_000 },
    );
    // The batch is paid and waits for an outcome nobody will notify.
    const waitingAtKill = LOST - reached(s, lost);
    await s.workers.kill(VICTIM, 'SIGKILL');
    s.workers.start(VICTIM);
    await paying;
    await s.workers.waitReady(VICTIM, 180_000);
    await untilAll(s, all, 300_000);
    const dropped = new Set(lost.flatMap(notificationIds));
    const deliveries = s.simulator.sim.webhooks.deliveries.filter((d) => dropped.has(d.orderId)).length;
    const byInquiry = lost.filter(
      (c) => s.results.paymentEvent(c.orderId, 'paystream.payment.succeeded')?.data.verification === 'inquiry',
    ).length;
    const figures = conclude(s, {
      scenario: 'lost-notification',
      charges: all,
      startedAt,
      faults: [
        `${String(WORKERS)} workers; ${String(LOST + NOTIFIED)} charges over ${PAYING_METHODS.join(', ')}, every customer paying as asked`,
        `the webhooks of ${String(LOST)} paid orders dropped by Midtrans (${String(deliveries)} delivery attempts for them)`,
        `worker ${String(VICTIM)} killed with SIGKILL and restarted while ${String(waitingAtKill)} of those orders waited for their outcome`,
        `reconciler: first inquiry ${String(RECONCILE.firstMs / 1000)} s after an order's last change; ${String(byInquiry)} of the ${String(LOST)} succeeded by inquiry`,
        `found paid by ${foundBy(s, new Set(lost.map((c) => c.orderId))).join('; ')}`,
      ],
    });
    expectClean(figures);
    expectPaidOnce(s, all);
    expect(deliveries).toBe(0);
    expect(waitingAtKill).toBe(LOST);
    expect(byInquiry).toBe(LOST);
  });
});
