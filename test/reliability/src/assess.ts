// What every scenario proves, counted the same way: from the signed events a downstream service
// received (deduplicated by event id) and the simulator's ledger, which is the oracle of money.
import type { PaymentCommand, PaymentStatus } from '@paystream/contracts';
import type { PaystreamSystem } from '@paystream/test-harness';
import { scanLeaks } from './leaks.ts';

/** Statuses an order ends in; `refunded` may only follow `succeeded`. */
const TERMINAL: ReadonlySet<string> = new Set<PaymentStatus>(['succeeded', 'failed', 'expired', 'canceled']);

export interface ScenarioFigures {
  readonly scenario: string;
  /** Commands the upstream published, charges and follow-ups. */
  readonly commands: number;
  readonly orders: number;
  /** Distinct result events (by id) the downstream received. */
  readonly results: number;
  /** Ledger charges for the run's orders. */
  readonly charges: number;
  /** Orders that did not reach their expected outcome. */
  readonly lost: number;
  /** Orders charged more than once, or with more than one terminal outcome. */
  readonly duplicated: number;
  /** `succeeded` events for orders the simulator never saw paid. */
  readonly falseSuccesses: number;
  readonly dlq: number;
  /** Events that failed the contract schema or the signature check. */
  readonly unverified: number;
  /** The run's secrets or test card numbers found in worker logs, result events or DLQ records. */
  readonly leaks: number;
  readonly durationMs: number;
  /** What the scenario did to the system (kills, outages, rotations…), in words. */
  readonly faults: readonly string[];
  /** Each order that went wrong, in words (the first few). */
  readonly problems: readonly string[];
}

export interface AssessOptions {
  readonly scenario: string;
  /** The run's charge commands; the outcome each order must end in (default: succeeded). */
  readonly charges: readonly PaymentCommand[];
  readonly expected?: (c: PaymentCommand) => PaymentStatus;
  readonly startedAt: number;
  readonly faults?: readonly string[];
  /** Whether to scan the run's output for its secrets (default true; see leaks.ts). */
  readonly scanLeaks?: boolean;
}

/** The figures of a finished run. Call it once the scenario waited for the outcomes it expects. */
export function assess(s: PaystreamSystem, opts: AssessOptions): ScenarioFigures {
  const ledger = s.ledger(opts.charges);
  const problems: string[] = [...ledger.problems];
  let lost = 0;
  let duplicated = 0;
  let falseSuccesses = 0;
  for (const c of opts.charges) {
    const want = opts.expected?.(c) ?? 'succeeded';
    const outcomes = s.results
      .forOrder(c.orderId)
      .map((x) => x.event)
      .filter((e) => e.type !== 'paystream.command.rejected' && TERMINAL.has(e.data.status));
    const statuses = outcomes.map((e) => (e.type === 'paystream.command.rejected' ? 'rejected' : e.data.status));
    if (!statuses.includes(want)) {
      lost++;
      problems.push(`${c.orderId}: expected ${want}, got ${statuses.join(', ') || 'no outcome'}`);
    }
    if (outcomes.length > 1 || (ledger.charges.get(c.orderId) ?? 0) > 1) {
      duplicated++;
      problems.push(
        `${c.orderId}: ${String(outcomes.length)} outcomes (${statuses.join(', ')}), ${String(ledger.charges.get(c.orderId) ?? 0)} charges`,
      );
    }
    if (statuses.includes('succeeded') && !ledger.paid.get(c.orderId)) {
      falseSuccesses++;
      problems.push(`${c.orderId}: succeeded, but the customer never paid`);
    }
  }
  for (const d of s.results.dlq) problems.push(`DLQ: ${d.code ?? '?'} for ${d.key}`);
  for (const p of s.results.problems) problems.push(`${p.where}: ${p.problem}`);
  const leaks = opts.scanLeaks === false ? { count: 0, findings: [] } : scanLeaks(s);
  problems.push(...leaks.findings.map((f) => `leak: ${f}`));
  return {
    scenario: opts.scenario,
    commands: s.upstream.sent.size,
    orders: new Set(opts.charges.map((c) => c.orderId)).size,
    results: s.results.events.size,
    charges: [...ledger.charges.values()].reduce((a, b) => a + b, 0),
    lost,
    duplicated,
    falseSuccesses,
    dlq: s.results.dlq.length,
    unverified: s.results.problems.length,
    leaks: leaks.count,
    durationMs: Date.now() - opts.startedAt,
    faults: opts.faults ?? [],
    problems: problems.slice(0, 20),
  };
}
