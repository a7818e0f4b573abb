// Crash safety of the whole system: charges across every paying method while three worker processes
// are killed with SIGKILL at random moments (during start-up too) and restarted, and restarted once
// more in turn as a deployment rolls, customers paying all along. A crash at any instant may redeliver
// work, never lose or double it: after deduplication by event id every order has exactly its
// action_required and one succeeded, the ledger exactly one charge, and the DLQ nothing.
import { setTimeout as sleep } from 'node:timers/promises';
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

const TOTAL = sized(250, 2_000);
const WAVES = sized(12, 40);
/** SIGKILLs at random moments, before and after the rolling restart. */
const KILLS = sized(4, 8);
const WORKERS = 3;
/** How long the run may take: every SIGKILL stalls the groups until the dead member's session expires. */
const RUN_MS = sized(600_000, 1_500_000);

let system: PaystreamSystem | undefined;

beforeAll(async () => {
  system = await startSystem({ name: 'worker-crash', brokers: inject('kafkaBrokers'), workers: WORKERS, plugins: [...PAYING_METHODS] });
});

afterAll(async () => {
  await system?.close();
});

interface Chaos {
  readonly log: string[];
  /** SIGKILLs delivered while some order still waited for its outcome. */
  midRunKills: number;
  rolledMidRun: boolean;
}

const pause = (min: number, spread: number): Promise<unknown> => sleep(min + Math.random() * spread);

/** SIGKILL a random worker, alive or still starting, and start it again after a moment. */
async function randomKill(s: PaystreamSystem, chaos: Chaos, unfinished: () => boolean): Promise<void> {
  const alive = s.workers.alive();
  const victim = alive[Math.floor(Math.random() * alive.length)];
  if (victim === undefined) return;
  if (unfinished()) chaos.midRunKills++;
  chaos.log.push(`SIGKILL worker ${String(victim)}`);
  await s.workers.kill(victim, 'SIGKILL');
  await pause(0, 1_000);
  s.workers.start(victim);
}

/** A deployment: each worker in turn stopped with SIGTERM (drain, commit, leave) and started, ready before the next. */
async function rollingRestart(s: PaystreamSystem, chaos: Chaos, unfinished: () => boolean): Promise<void> {
  if (unfinished()) chaos.rolledMidRun = true;
  for (const slot of s.workers.slots) {
    await s.workers.waitReady(slot.index, 180_000);
    chaos.log.push(`rolling restart of worker ${String(slot.index)}`);
    await s.workers.restart(slot.index, 'SIGTERM');
  }
}

/**
 * The chaos steps (half the kills, the rolling restart, the other half), each at a random moment
 * shortly after one of the waves evenly spread over the run, so every step meets work in flight.
 */
function chaosSteps(s: PaystreamSystem, c: Chaos, unfinished: () => boolean): Map<number, () => Promise<void>> {
  const steps = Array.from({ length: KILLS + 1 }, (_, k) =>
    k === Math.floor(KILLS / 2) ? () => rollingRestart(s, c, unfinished) : () => randomKill(s, c, unfinished),
  );
  return new Map(
    steps.map((step, k) => [
      Math.floor(((k + 1) * WAVES) / (steps.length + 1)),
      async () => {
        await pause(0, 1_500);
        await step();
      },
    ]),
  );
}

describe('worker-crash: SIGKILL at random moments and a rolling restart of three workers', () => {
  it(
    'ends every order with one action_required and one succeeded, one charge each, nothing in the DLQ',
    async () => {
      const s = system as PaystreamSystem;
      const startedAt = Date.now();
      const specs = orderPlan(runTag('crash'), TOTAL);
      const sent: PaymentCommand[] = [];
      const unfinished = (): boolean => sent.length < TOTAL || reached(s, sent) < TOTAL;
      const c: Chaos = { log: [], midRunKills: 0, rolledMidRun: false };
      const steps = chaosSteps(s, c, unfinished);
      const customers = s.payWhenAsked(
        specs.map((o) => o.orderId),
        { timeoutMs: RUN_MS },
      );
      await publishInWaves(s, specs, { waves: WAVES, gapMs: 500, after: (w) => steps.get(w)?.() }, sent);
      for (const slot of s.workers.slots) await s.workers.waitReady(slot.index, 180_000);
      await customers;
      await untilAll(s, sent, RUN_MS);
      // The restarts may leave late copies of events in flight; the figures are taken once the fleet is back.
      const figures = conclude(s, {
        scenario: 'worker-crash',
        charges: sent,
        startedAt,
        faults: [
          `${String(WORKERS)} workers; ${String(TOTAL)} charges over ${PAYING_METHODS.join(', ')} in ${String(WAVES)} waves, customers paying as asked`,
          `${String(KILLS)} SIGKILLs of a random worker at random moments (restarted within a second), ${String(c.midRunKills)} of them while orders were unfinished`,
          `a rolling restart (SIGTERM, start, ready) of each worker in turn, ${c.rolledMidRun ? 'begun while orders were unfinished' : 'after the orders finished'}`,
          `${String(s.results.duplicates)} redelivered copies of events deduplicated by id`,
        ],
      });
      console.log(`worker-crash chaos: ${c.log.join('; ')}`);
      expectClean(figures);
      expectPaidOnce(s, sent);
      expect(c.midRunKills).toBe(KILLS);
      expect(c.rolledMidRun).toBe(true);
    },
    RUN_MS + 300_000,
  );
});
