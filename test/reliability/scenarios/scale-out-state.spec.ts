// A fleet splitting the order state: three workers drain charges over every paying method while a
// fourth joins with an empty disk and, later, one of the first three leaves (SIGTERM: drain, commit,
// leave). Each worker follows only the state partitions it owns, so every move of a partition makes its
// new owner restore it before its commands and notifications go on, and its old owner drop it after the
// grace period. Midtrans' notifications reach the workers through a round-robin load balancer, so most
// land on a worker that does not hold the order: it hands them over to the owner through Kafka. Every
// order still ends once, and at the end — the workers stopped, their indexes opened read-only — the
// running workers' indexes hold disjoint partitions that together cover the state, only orders of their
// own partitions, every order of the run exactly once, and what each worker last logged owning.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import type { PaymentCommand } from '@paystream/contracts';
import { PARTITIONS, startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
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
import { counter, ownershipLog, readIndex, splitProblems } from '../src/state-split.ts';

const TOTAL = sized(800, 5_000);
const WAVES = sized(16, 50);
/** The workers' drain timeout, and how long a released partition is kept before it is dropped (state.releaseGraceMs). */
const DRAIN_MS = 5_000;
const JOINER = 3;
const LEAVER = 0;
const STAYING = [1, 2, JOINER];
const RUN_MS = sized(300_000, 1_200_000);

let system: PaystreamSystem | undefined;

beforeAll(async () => {
  system = await startSystem({
    name: 'scale-out-state',
    brokers: inject('kafkaBrokers'),
    workers: 4,
    plugins: [...PAYING_METHODS],
    env: { PAYSTREAM_DRAIN_TIMEOUT_MS: String(DRAIN_MS), PAYSTREAM_STATE_RELEASE_GRACE_MS: String(DRAIN_MS) },
  });
  // The fleet has four slots; the run starts with three, the fourth joining later as a new machine would.
  await system.workers.kill(JOINER, 'SIGTERM');
  rmSync(join(system.dir, 'state', `worker-${String(JOINER)}`), { recursive: true, force: true });
});

afterAll(async () => {
  await system?.close();
});

/** Notifications a worker handed over to the owner of their order since it started. */
const handedOver = async (s: PaystreamSystem, slot: number): Promise<number> =>
  counter(await s.workers.metrics(slot), 'paystream_notifications_total', 'outcome="handed-over"');

/**
 * Waits until no running worker's ownership changed for the grace period and a margin, and every one
 * of them has been ready (nothing taken over still restoring) for a few seconds: a drop that fell due
 * during a restore is retried once the restore is done, so only then is every released partition dropped.
 */
async function graceOver(s: PaystreamSystem, slots: readonly number[]): Promise<number> {
  const lastChange = (): number => Math.max(...slots.map((i) => ownershipLog(s, i).at(-1)?.at ?? 0));
  const unready = async (): Promise<string[]> =>
    (await Promise.all(slots.map(async (i) => ({ i, r: await s.workers.readiness(i) }))))
      .filter(({ r }) => r.status !== 200)
      .map(({ i, r }) => `worker ${String(i)}: ${r.reasons.join('; ')}`);
  let waiting: string[] = [];
  let readySince: number | undefined;
  await until(
    async () => {
      waiting = await unready();
      readySince = waiting.length > 0 ? undefined : (readySince ?? Date.now());
      return Date.now() >= lastChange() + DRAIN_MS + 5_000 && readySince !== undefined && Date.now() - readySince >= 3_000;
    },
    () => `ownership last changed ${new Date(lastChange()).toISOString()}; not ready: ${waiting.join(', ') || 'none'}`,
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  return lastChange();
}

const exit = (e: { code: number | null; signal: NodeJS.Signals | null } | undefined): string =>
  e === undefined ? 'not stopped' : e.signal === null ? `exit ${String(e.code)}` : `killed by ${e.signal}`;

describe('scale-out-state: a fourth worker joins and one leaves while three drain the charges', () => {
  it(
    'ends every order once and leaves each running worker holding only its own partitions of the state',
    async () => {
      const s = system as PaystreamSystem;
      const startedAt = Date.now();
      const specs = orderPlan(runTag('split'), TOTAL);
      const sent: PaymentCommand[] = [];
      const log: string[] = [];
      const unfinishedAt: number[] = [];
      const handed = new Map<number, number>();
      let left: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      const unfinished = (): number => sent.length - reached(s, sent);
      const customers = s.payWhenAsked(
        specs.map((o) => o.orderId),
        { timeoutMs: RUN_MS },
      );
      await publishInWaves(
        s,
        specs,
        {
          waves: WAVES,
          gapMs: 500,
          after: async (w) => {
            if (w === Math.floor(WAVES / 3)) {
              unfinishedAt.push(unfinished());
              log.push(`worker ${String(JOINER)} joined with an empty index, ${String(unfinishedAt.at(-1))} orders unfinished`);
              s.workers.start(JOINER);
              await s.workers.waitReady(JOINER, 180_000);
            }
            if (w === Math.floor((2 * WAVES) / 3)) {
              unfinishedAt.push(unfinished());
              log.push(`worker ${String(LEAVER)} left (SIGTERM) with ${String(unfinishedAt.at(-1))} orders unfinished`);
              handed.set(LEAVER, await handedOver(s, LEAVER));
              left = await s.workers.kill(LEAVER, 'SIGTERM');
            }
          },
        },
        sent,
      );
      await customers;
      await untilAll(s, sent, RUN_MS);
      const settled = await graceOver(s, STAYING);
      const logged = new Map(STAYING.map((i) => [i, ownershipLog(s, i).at(-1)?.partitions]));
      for (const i of STAYING) handed.set(i, await handedOver(s, i));
      const stops = await Promise.all(STAYING.map((i) => s.workers.kill(i, 'SIGTERM')));
      const indexes = STAYING.map((i) => readIndex(s, i));
      const problems = splitProblems(indexes, logged, { partitions: PARTITIONS, orderIds: sent.map((c) => c.orderId) });
      const handedTotal = [...handed.values()].reduce((a, b) => a + b, 0);
      const figures = conclude(s, {
        scenario: 'scale-out-state',
        charges: sent,
        startedAt,
        faults: [
          `3 workers; ${String(TOTAL)} charges over ${PAYING_METHODS.join(', ')} in ${String(WAVES)} waves, customers paying as asked`,
          ...log,
          `${String(handedTotal)} notifications handed over by a worker not holding the order (per worker ${[LEAVER, ...STAYING].map((i) => `${String(i)}: ${String(handed.get(i) ?? 0)}`).join(', ')})`,
          `ownership settled ${((settled - startedAt) / 1000).toFixed(0)} s into the run; then the three running workers stopped (SIGTERM) and their indexes were read`,
          `worker stops: ${[LEAVER, ...STAYING].map((i, k) => `${String(i)}: ${exit([left, ...stops][k])}`).join(', ')}`,
          ...indexes.map(
            (x) => `worker ${String(x.slot)}: state partitions ${x.offsets.join(', ')}, ${String(x.orders.size)} orders in its index`,
          ),
          `${String(s.results.duplicates)} redelivered copies of events deduplicated by id`,
        ],
      });
      expectClean(figures);
      expectPaidOnce(s, sent);
      expect(problems, problems.join('\n')).toEqual([]);
      // Clean stops (drained, exit 0), not the harness' SIGKILL past the grace period.
      expect([left, ...stops]).toEqual([LEAVER, ...STAYING].map(() => ({ code: 0, signal: null })));
      // The join and the leave met work in flight, and notifications did land on workers not holding the order.
      expect(unfinishedAt.every((n) => n > 0)).toBe(true);
      expect(handedTotal).toBeGreaterThan(0);
    },
    RUN_MS + 300_000,
  );
});
