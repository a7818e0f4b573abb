// The Kafka broker stopped and started again mid-run, on a broker of the scenario's own (the shared
// test broker serves other suites meanwhile). While it is down the workers cannot fetch, publish or
// commit, and their /readyz says so; customers keep paying, so notifications arrive that cannot be
// acknowledged and Midtrans retries them. Once the broker is back, the workers — never restarted —
// resume on their own from the committed offsets, and every order still ends in exactly one verified
// outcome.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentCommand } from '@paystream/contracts';
import { startSystem, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownBroker, type OwnBroker } from '../src/broker.ts';
import { sized } from '../src/record.ts';
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

const TOTAL = sized(200, 1_000);
const WAVES = sized(10, 30);
/** Longer than a produce request may stay unacknowledged before /readyz reports it (10 s). */
const DOWN_MS = sized(15_000, 25_000);
const WORKERS = 2;

let broker: OwnBroker | undefined;
let system: PaystreamSystem | undefined;

beforeAll(async () => {
  broker = await ownBroker('broker-restart');
  system = await startSystem({ name: 'broker-restart', brokers: broker.brokers, workers: WORKERS, plugins: [...PAYING_METHODS] });
});

afterAll(async () => {
  try {
    await system?.close();
  } finally {
    await broker?.close();
  }
});

/** What each worker's /readyz says (0 when it does not answer at all), added to its slot's set. */
async function sampleReadiness(s: PaystreamSystem, seen: Map<number, Set<string>>): Promise<void> {
  await Promise.all(
    s.workers.slots.map(async (w) => {
      const r = await s.workers.readiness(w.index).then(
        (x) => `${String(x.status)} ${x.reasons.join('; ')}`.trim(),
        () => '0',
      );
      seen.get(w.index)?.add(r);
    }),
  );
}

describe('broker-restart: the Kafka broker stopped and started again mid-run', () => {
  it('resumes on its own and ends every order with one action_required and one succeeded, one charge each', async () => {
    const s = system as PaystreamSystem;
    const b = broker as OwnBroker;
    const startedAt = Date.now();
    const specs = orderPlan(runTag('broker'), TOTAL);
    const sent: PaymentCommand[] = [];
    const log: string[] = [];
    const whileDown = new Map(s.workers.slots.map((w) => [w.index, new Set<string>()]));
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
          if (w !== Math.floor(WAVES / 2)) return;
          log.push(`broker stopped (SIGTERM) with ${String(sent.length - reached(s, sent))} orders unfinished`);
          await b.stop();
          const down = Date.now();
          // Upstream holds its commands while the broker is down; customers go on paying.
          while (Date.now() - down < DOWN_MS) {
            await sampleReadiness(s, whileDown);
            await sleep(1_000);
          }
          await b.start();
          log.push(`broker down for ${String(Math.round((Date.now() - down) / 1000))} s, then started again on the same data`);
        },
      },
      sent,
    );
    await customers;
    await untilAll(s, sent, 600_000);
    for (const w of s.workers.slots) await s.workers.waitReady(w.index, 120_000);
    const figures = conclude(s, {
      scenario: 'broker-restart',
      charges: sent,
      startedAt,
      faults: [
        `${String(WORKERS)} workers on a broker of their own; ${String(TOTAL)} charges over ${PAYING_METHODS.join(', ')} in ${String(WAVES)} waves, customers paying as asked`,
        ...log,
        `/readyz while it was down: ${[...whileDown].map(([i, r]) => `worker ${String(i)}: ${[...r].join(' | ')}`).join('; ')}`,
        `${String(s.results.duplicates)} redelivered copies of events deduplicated by id`,
      ],
    });
    expectClean(figures);
    expectPaidOnce(s, sent);
    // Each worker said it was cut off while it was, and nobody restarted them: they rode it out.
    for (const [i, r] of whileDown)
      expect(
        [...r].some((x) => x.startsWith('503') && x.includes('kafka: producing fails')),
        `worker ${String(i)}: ${[...r].join(' | ')}`,
      ).toBe(true);
    expect(s.workers.slots.map((w) => w.starts)).toEqual(s.workers.slots.map(() => 1));
    expect(s.workers.alive()).toEqual(s.workers.slots.map((w) => w.index));
  });
});
