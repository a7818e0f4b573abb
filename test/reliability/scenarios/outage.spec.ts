// A Midtrans outage: for 30 s the simulator accepts requests and never answers them (`no-answer` on
// every Midtrans endpoint), while charges keep arriving and customers keep paying. The workers' circuit
// breakers open, consumption pauses (/readyz and the paused metric say so), and from then on only the
// breakers' probes reach Midtrans — counted in the simulator's request log against a bound derived from
// the breaker configuration. Nothing goes to the DLQ because Midtrans is down: after recovery every
// command completes, each order with exactly one verified outcome.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {} from '@paystream/kafka-broker/global-setup';
import type { PaymentCommand } from '@paystream/contracts';
import { parseCoreConfig, type CoreConfig } from '@paystream/core';
import { startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
const OUTAGE_MS = 30_000;
const WORKERS = 2;
/** The API families the paying methods use: BI-SNAP (e-wallets, QRIS) and the Core API (cards). */
const FAMILIES = ['snap', 'core'] as const;
const SAMPLE_MS = 250;
/**
 * An operator's timeout for a Midtrans call that gets no answer (the default 30 s would outlast the
 * outage): what makes a silent Midtrans count as failing for the breakers.
 */
const HTTP = { totalTimeoutMs: 3_000, connectTimeoutMs: 2_000 };

let system: PaystreamSystem | undefined;

beforeAll(async () => {
  system = await startSystem({
    name: 'outage',
    brokers: inject('kafkaBrokers'),
    workers: WORKERS,
    plugins: [...PAYING_METHODS],
    core: { http: HTTP },
  });
});

afterAll(async () => {
  await system?.close();
});

/** The core configuration the workers run with, read back from their --config file. */
function workerCore(s: PaystreamSystem): Readonly<CoreConfig> {
  const file = JSON.parse(readFileSync(join(s.dir, 'worker-config.json'), 'utf8')) as { core: unknown };
  return parseCoreConfig(file.core);
}

/** Samples of one Prometheus metric: its labels and value. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return [...text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))].map((m) => ({
    labels: Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1] ?? '', l[2] ?? ''])),
    value: Number(m[2]),
  }));
}

interface Watch {
  /** Since when each worker's breaker of a family has been open without a break (epoch ms), by `worker/family`. */
  readonly openSince: Map<string, number>;
  /** Methods each worker reported paused. */
  readonly paused: Map<number, Set<string>>;
  /** What each worker's /readyz answered while not ready. */
  readonly notReady: Map<number, Set<string>>;
}

/** Polls every worker's /metrics and /readyz until `stop()`. */
async function watch(s: PaystreamSystem, w: Watch, stop: () => boolean): Promise<void> {
  while (!stop()) {
    await Promise.all(
      s.workers.alive().map(async (i) => {
        // A worker busy or between restarts may not answer a sample; the next one will.
        const answer = await Promise.all([s.workers.metrics(i), s.workers.readiness(i)]).catch(() => undefined);
        if (!answer) return;
        const [metrics, ready] = answer;
        const at = Date.now();
        for (const b of samples(metrics, 'paystream_breaker_open')) {
          const key = `${String(i)}/${b.labels['family'] ?? ''}`;
          if (b.value !== 1) w.openSince.delete(key);
          else if (!w.openSince.has(key)) w.openSince.set(key, at);
        }
        for (const p of samples(metrics, 'paystream_consumption_paused')) if (p.value === 1) w.paused.get(i)?.add(p.labels['method'] ?? '');
        if (ready.status !== 200) for (const r of ready.reasons) w.notReady.get(i)?.add(r);
      }),
    );
    await sleep(SAMPLE_MS);
  }
}

describe('outage: Midtrans stops answering for 30 s mid-run', () => {
  it('pauses, sends Midtrans only the breakers’ probes, and completes every command after recovery', async () => {
    const s = system as PaystreamSystem;
    const core = workerCore(s);
    const { resetTimeoutMs, rollingCountTimeoutMs } = core.breaker;
    const timeoutMs = core.http.totalTimeoutMs;
    const startedAt = Date.now();
    const specs = orderPlan(runTag('outage'), TOTAL);
    const [before, during] = [specs.slice(0, TOTAL / 2), specs.slice(TOTAL / 2)];
    const sent: PaymentCommand[] = [];
    const customers = s.payWhenAsked(
      specs.map((o) => o.orderId),
      { timeoutMs: 600_000 },
    );
    await publishInWaves(s, before, { waves: 5, gapMs: 500 }, sent);
    // The outage meets work in flight: some orders done, the rest on their way.
    await until(
      () => reached(s, sent) >= sent.length / 4,
      () => `${String(reached(s, sent))} of ${String(sent.length)} succeeded before the outage`,
      { timeoutMs: 180_000 },
    );

    const w: Watch = {
      openSince: new Map(),
      paused: new Map(s.workers.slots.map((x) => [x.index, new Set()])),
      notReady: new Map(s.workers.slots.map((x) => [x.index, new Set()])),
    };
    let watching = true;
    const watcher = watch(s, w, () => !watching);
    const t0 = Date.now();
    await s.simulator.admin.addFault({ kind: 'no-answer', path: '*' });
    const unfinishedAtStart = sent.length - reached(s, sent);
    // Upstream keeps publishing into the outage; customers keep paying what they were asked for.
    await publishInWaves(s, during, { waves: 20, gapMs: 1_000 }, sent);
    await sleep(Math.max(0, t0 + OUTAGE_MS - Date.now()));
    // Each breaker as it stood when Midtrans came back, open since when: one that opened under load
    // before the outage and closed again counts from its last opening.
    const opened = new Map(w.openSince);
    await s.simulator.admin.clearFaults();
    const t1 = Date.now();
    // Read at once: the log keeps the last 10,000 requests.
    const midtrans = s.simulator.sim.requests.filter((r) => r.path !== '/v2/token').map((r) => ({ ...r, ms: Date.parse(r.at) }));
    const inOutage = midtrans.filter((r) => r.ms >= t0 && r.ms <= t1);

    await customers;
    await untilAll(s, sent, 600_000);
    for (const x of s.workers.slots) await s.workers.waitReady(x.index, 120_000);
    watching = false;
    await watcher;

    const lastOpen = Math.max(...opened.values());
    // Once every breaker is open and the calls fired before it have timed out, each breaker lets one
    // probe through per resetTimeoutMs at most (a failed probe opens it again for another period).
    const probing = inOutage.filter((r) => r.ms >= lastOpen + timeoutMs);
    const probeBound = WORKERS * FAMILIES.length * (Math.floor((t1 - t0) / resetTimeoutMs) + 1);
    const figures = conclude(s, {
      scenario: 'outage',
      charges: sent,
      startedAt,
      faults: [
        `${String(WORKERS)} workers; ${String(TOTAL)} charges over ${PAYING_METHODS.join(', ')}, half published into the outage, customers paying as asked`,
        `Midtrans answered nothing for ${String(Math.round((t1 - t0) / 1000))} s (no-answer on every endpoint) with ${String(unfinishedAtStart)} orders unfinished; Midtrans call timeout ${String(timeoutMs)} ms`,
        `breakers (${String(core.breaker.errorThresholdPercentage)} % of ≥ ${String(core.breaker.volumeThreshold)} calls in ${String(rollingCountTimeoutMs)} ms, reset ${String(resetTimeoutMs)} ms) opened ${[...opened].map(([k, t]) => `${k} at ${((t - t0) / 1000).toFixed(1)} s`).join(', ')} into the outage (worker/family)`,
        `${String(inOutage.length)} requests reached Midtrans during the outage; ${String(probing.length)} once every breaker was open (bound: ${String(probeBound)} probes)`,
        `paused while it lasted: ${[...w.paused].map(([i, m]) => `worker ${String(i)}: ${[...m].sort().join(', ')}`).join('; ')}`,
      ],
    });
    expectClean(figures);
    expectPaidOnce(s, sent);
    for (const x of s.workers.slots) {
      for (const family of FAMILIES) {
        expect(
          opened.get(`${String(x.index)}/${family}`),
          `worker ${String(x.index)}: the ${family} breaker was not open when the outage ended`,
        ).toBeDefined();
      }
      expect([...(w.paused.get(x.index) ?? [])].sort()).toEqual([...PAYING_METHODS].sort());
      expect([...(w.notReady.get(x.index) ?? [])].some((r) => r.startsWith('circuit breaker open'))).toBe(true);
    }
    // The breakers were open for a whole reset period at least: long enough to watch them probe.
    expect(t1 - (lastOpen + timeoutMs), 'the breakers opened too late to watch them probe').toBeGreaterThanOrEqual(resetTimeoutMs);
    expect(probing.length).toBeLessThanOrEqual(probeBound);
  });
});
