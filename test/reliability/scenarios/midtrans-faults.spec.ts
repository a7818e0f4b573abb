// Midtrans misbehaving while charges flow through two worker processes: answers slower than the
// client's timeout (the charge is made, the answer never arrives in time), 429 storms, and the
// ambiguous 202xx00 (in progress) and 504xx00 (timeout) — some after Midtrans already made the
// charge — and connections reset after Midtrans handled the request. Each is resolved by sending
// again with the same X-EXTERNAL-ID / Idempotency-Key, or by a status inquiry, never with a fresh
// identifier: the ledger shows one charge per order, every order ends succeeded once, and nothing
// reaches the DLQ because Midtrans was unwell.
import type {} from '@paystream/kafka-broker/global-setup';
import type { PaymentCommand } from '@paystream/contracts';
import type { Fault } from '@paystream/midtrans-sim';
import { deriveIds } from '@paystream/runtime';
import { startSystem, type FaultRequest, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sized } from '../src/record.ts';
import { conclude, expectClean, runTag } from '../src/scenario.ts';
import { expectChargedOnce, Traffic } from '../src/traffic.ts';

const METHODS = ['gopay', 'dana', 'qris', 'card-3ds'] as const;
/** The operator's client timeout for the run; the slow phase answers later than this. */
const TIMEOUT_MS = 2_000;
const LATENCY_MS = 3_500;
/** How long each fault lasts, charges arriving all along. */
const WINDOW_MS = sized(6_000, 20_000);
const PER_WAVE = sized(3, 6);

let system: PaystreamSystem | undefined;

beforeAll(async () => {
  system = await startSystem({
    name: 'midtrans-faults',
    brokers: inject('kafkaBrokers'),
    workers: 2,
    plugins: [...METHODS],
    core: { http: { totalTimeoutMs: TIMEOUT_MS, connectTimeoutMs: 1_000 } },
  });
});

afterAll(async () => {
  await system?.close();
});

const CHARGE_PATHS: ReadonlySet<string> = new Set(['/v1.0/debit/payment-host-to-host', '/v1.0/qr/qr-mpm-generate', '/v2/charge']);

/** Charge requests Midtrans answered 202 or 504. */
const ambiguousCharges = (s: PaystreamSystem): number =>
  s.simulator.sim.requests.filter((r) => (r.status === 202 || r.status === 504) && CHARGE_PATHS.has(r.path)).length;

interface Phase {
  readonly name: string;
  readonly faults: readonly FaultRequest[];
  /** Keeps the faults on past the window (at most MAX_EXTRA_MS more) until this holds. */
  readonly until?: (s: PaystreamSystem) => boolean;
}

/** After a 429 storm the workers may be paused for a while: an ambiguous phase waits for charges to reach it. */
const MAX_EXTRA_MS = 60_000;

const PHASES: readonly Phase[] = [
  {
    name: `slow Midtrans: ${String(LATENCY_MS)} ms answers (client timeout ${String(TIMEOUT_MS)} ms) on 30 % of calls`,
    faults: [{ kind: 'latency', probability: 0.3, latencyMs: LATENCY_MS }],
  },
  { name: '429 storm: 60 % of calls answered 429 Too Many Requests', faults: [{ kind: 'rate-limit-429', probability: 0.6 }] },
  {
    name: 'ambiguous answers: 202xx00 in progress on BI-SNAP and 504xx00 timeout everywhere, half of each after Midtrans made the charge, and connections reset once Midtrans had handled the request',
    until: (s) => ambiguousCharges(s) > 0,
    faults: [
      { kind: 'in-progress-202', path: '/v1.0/', probability: 0.15, processed: true },
      { kind: 'in-progress-202', path: '/v1.0/', probability: 0.15 },
      { kind: 'error-504', probability: 0.15, processed: true },
      { kind: 'error-504', probability: 0.15 },
      { kind: 'reset', probability: 0.1, processed: true },
    ],
  },
];

const hits = (faults: readonly Fault[]): number => faults.reduce((n, f) => n + (f.hits ?? 0), 0);

/**
 * Charges whose transaction at Midtrans was not made with the command's own X-EXTERNAL-ID (BI-SNAP)
 * or order id (Core API): what a retry with a fresh identifier would leave behind.
 */
function foreignIdentifiers(s: PaystreamSystem, charges: readonly PaymentCommand[]): string[] {
  const { store } = s.simulator.sim;
  return charges.flatMap((c) => {
    const externalId = c.method === 'card-3ds' ? c.orderId : deriveIds(c.commandId).externalId;
    const kind = c.method === 'card-3ds' ? 'core' : c.method === 'qris' ? 'qris' : 'debit';
    const tx = store.find(kind, kind === 'qris' ? { externalId } : { partnerReferenceNo: c.orderId });
    return tx?.externalId === externalId
      ? []
      : [`${c.orderId}: Midtrans holds ${tx ? `X-EXTERNAL-ID ${tx.externalId}` : 'no transaction'}`];
  });
}

describe('midtrans-faults: slow answers, 429 storms, ambiguous 202/504 and resets while charges flow', () => {
  it('resolves every charge with its own identifiers: one charge per order in the ledger, one succeeded each, nothing in the DLQ', async () => {
    const s = system as PaystreamSystem;
    const startedAt = Date.now();
    const traffic = new Traffic(s, { methods: METHODS, tag: runTag('faults') });
    const log: string[] = [`2 workers; charges over ${METHODS.join(', ')}, ${String(PER_WAVE)} a second, customers paying as asked`];
    for (const phase of PHASES) {
      const before = traffic.charges.length;
      const applied = await traffic.during(
        async () => {
          for (const f of phase.faults) await s.simulator.admin.addFault(f);
          await new Promise((r) => setTimeout(r, WINDOW_MS));
          const extraUntil = Date.now() + MAX_EXTRA_MS;
          while (phase.until && !phase.until(s) && Date.now() < extraUntil) await new Promise((r) => setTimeout(r, 500));
          const n = hits(s.simulator.sim.faults.list());
          await s.simulator.admin.clearFaults();
          return n;
        },
        { perWave: PER_WAVE, gapMs: 1_000 },
      );
      log.push(
        `${phase.name}, for ${String(WINDOW_MS / 1000)} s: ${String(applied)} requests hit, ${String(traffic.charges.length - before)} charges sent meanwhile`,
      );
      expect(applied, phase.name).toBeGreaterThan(0);
    }
    await traffic.settled(300_000);
    const answered = (status: number): number => s.simulator.sim.requests.filter((r) => r.status === status).length;
    log.push(
      `Midtrans answered 429 ${String(answered(429))} times, 202 ${String(answered(202))} times, 504 ${String(answered(504))} times and reset ${String(s.simulator.sim.requests.filter((r) => r.fault === 'reset').length)} connections; charges themselves ${String(ambiguousCharges(s))} times ambiguously`,
    );

    const figures = conclude(s, { scenario: 'midtrans-faults', charges: traffic.charges, startedAt, faults: log });
    expectClean(figures);
    expectChargedOnce(s, traffic.charges);
    expect(ambiguousCharges(s), 'charges answered ambiguously').toBeGreaterThan(0);
    expect(foreignIdentifiers(s, traffic.charges)).toEqual([]);
  });
});
