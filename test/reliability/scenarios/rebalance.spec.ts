// Scaling the fleet mid-run: one worker, then three (two join while commands are in flight), then one
// again (the two leave with SIGTERM: drain, commit, leave the group). Every partition changes owner
// twice while orders are charged and their notifications arrive; work taken away is redelivered to
// the new owner and replayed by Midtrans' idempotency, so nothing is lost or charged twice.
import type {} from '@paystream/kafka-broker/global-setup';
import type { PaymentCommand } from '@paystream/contracts';
import { startSystem, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  conclude,
  expectClean,
  expectPaidOnce,
  orderPlan,
  PAYING_METHODS,
  publishInWaves,
  reached,
  runTag,
  untilAll,
} from '../src/scenario.ts';
import { sized } from '../src/record.ts';

const TOTAL = sized(200, 1_000);
const WAVES = sized(12, 30);
const EXTRA = [1, 2];

let system: PaystreamSystem | undefined;

beforeAll(async () => {
  system = await startSystem({ name: 'rebalance', brokers: inject('kafkaBrokers'), workers: 3, plugins: [...PAYING_METHODS] });
  // The fleet has three slots; the run starts with one worker, as before a scale-out.
  for (const i of EXTRA) await system.workers.kill(i, 'SIGTERM');
});

afterAll(async () => {
  await system?.close();
});

/** Results a worker published since it started (its paystream_commands_total), read before it leaves. */
async function handled(s: PaystreamSystem, slot: number): Promise<number> {
  const text = await s.workers.metrics(slot);
  return [...text.matchAll(/^paystream_commands_total\{[^}]*\} (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('rebalance: the fleet scaled 1 → 3 → 1 mid-run', () => {
  it('ends every order with one action_required and one succeeded, one charge each, nothing in the DLQ', async () => {
    const s = system as PaystreamSystem;
    const startedAt = Date.now();
    const tag = runTag('rebalance');
    const specs = orderPlan(tag, TOTAL);
    const sent: PaymentCommand[] = [];
    const log: string[] = [];
    const work = new Map<number, number>();
    const unfinished = (): number => sent.length - reached(s, sent);
    const customers = s.payWhenAsked(
      specs.map((o) => o.orderId),
      { timeoutMs: 600_000 },
    );
    await publishInWaves(
      s,
      specs,
      {
        waves: WAVES,
        gapMs: 500,
        after: async (w) => {
          if (w === Math.floor(WAVES / 3)) {
            log.push(`scale-out to 3 workers with ${String(unfinished())} orders unfinished`);
            for (const i of EXTRA) s.workers.start(i);
            for (const i of EXTRA) await s.workers.waitReady(i, 180_000);
          }
          if (w === Math.floor((2 * WAVES) / 3)) {
            log.push(`scale-in to 1 worker (SIGTERM) with ${String(unfinished())} orders unfinished`);
            for (const i of EXTRA) work.set(i, await handled(s, i));
            await Promise.all(EXTRA.map((i) => s.workers.kill(i, 'SIGTERM')));
          }
        },
      },
      sent,
    );
    await customers;
    await untilAll(s, sent, 600_000);
    work.set(0, await handled(s, 0));
    const figures = conclude(s, {
      scenario: 'rebalance',
      charges: sent,
      startedAt,
      faults: [
        `${String(TOTAL)} charges over ${PAYING_METHODS.join(', ')} in ${String(WAVES)} waves, customers paying as asked`,
        ...log,
        `results published per worker (redeliveries included; the two that joined counted before they left): ${[0, ...EXTRA].map((i) => String(work.get(i) ?? 0)).join(' / ')}`,
        `${String(s.results.duplicates)} redelivered copies of events deduplicated by id`,
      ],
    });
    expectClean(figures);
    expectPaidOnce(s, sent);
    // The scale-out took real work, and the scale-in came while work was in flight.
    for (const i of [0, ...EXTRA]) expect(work.get(i), `worker ${String(i)}`).toBeGreaterThan(0);
    expect(log.every((l) => !l.includes(' 0 orders unfinished'))).toBe(true);
  });
});
