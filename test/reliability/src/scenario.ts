// What the fault scenarios share: their orders spread over the payment methods, upstream publishing
// them in waves while the fault happens, waiting for outcomes on conditions rather than sleeps, and
// the closing figures — recorded first, asserted after, so a failing run is in the report too.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentCommand, PaymentStatus } from '@paystream/contracts';
import { until, type ChargeSpec, type PaystreamSystem } from '@paystream/test-harness';
import { expect, onTestFailed } from 'vitest';
import { assess, type AssessOptions, type ScenarioFigures } from './assess.ts';
import { record, recordFailure } from './record.ts';

/** Every method, its customers paying as each does: e-wallets, QRIS, transfers to virtual accounts, 3-D Secure cards. */
export const PAYING_METHODS = ['gopay', 'shopeepay', 'dana', 'qris', 'va', 'card-3ds', 'cstore', 'pay-later'] as const;

/** `total` orders, round-robin over `methods`, each with an amount of its own (so a mix-up shows). */
export function orderPlan(tag: string, total: number, methods: readonly string[] = PAYING_METHODS): ChargeSpec[] {
  return Array.from({ length: total }, (_, i) => ({
    method: methods[i % methods.length] ?? 'gopay',
    orderId: `${tag}-${String(i)}`,
    amount: 20_000 + i,
  }));
}

/** A run tag unique enough to keep order ids apart across runs on one broker. */
export const runTag = (name: string): string => `${name}-${Date.now().toString(36)}`;

export interface WaveOptions {
  readonly waves: number;
  /** Pause between waves (ms). */
  readonly gapMs: number;
  /** Awaited before each wave (e.g. while the broker is down, upstream holds its commands). */
  readonly before?: (wave: number) => Promise<void>;
  /** Awaited after each wave is acknowledged, before the pause (e.g. a fault meeting that wave in flight). */
  readonly after?: (wave: number) => Promise<void> | undefined;
}

/**
 * Publishes the orders' charges in waves, as upstream traffic arrives over time, and returns every
 * command published (pushed into `sent` as they go, so a scenario can watch progress meanwhile).
 */
export async function publishInWaves(
  s: PaystreamSystem,
  specs: readonly ChargeSpec[],
  opts: WaveOptions,
  sent: PaymentCommand[] = [],
): Promise<PaymentCommand[]> {
  for (let w = 0; w < opts.waves; w++) {
    await opts.before?.(w);
    const slice = specs.slice(Math.floor((w * specs.length) / opts.waves), Math.floor(((w + 1) * specs.length) / opts.waves));
    const wave = await Promise.all(slice.map((spec) => s.charge(spec)));
    await s.upstream.send(wave);
    sent.push(...wave);
    await opts.after?.(w);
    if (w < opts.waves - 1) await sleep(opts.gapMs);
  }
  return sent;
}

/** Orders among `charges` with an event of `status`. */
export function reached(s: PaystreamSystem, charges: readonly PaymentCommand[], status: PaymentStatus = 'succeeded'): number {
  return charges.filter((c) => s.results.paymentEvent(c.orderId, `paystream.payment.${status}`)).length;
}

/** Waits until every order has an event of `status`; the error names how far the run got. */
export async function untilAll(
  s: PaystreamSystem,
  charges: readonly PaymentCommand[],
  timeoutMs: number,
  status: PaymentStatus = 'succeeded',
): Promise<void> {
  await until(
    () => reached(s, charges, status) === charges.length,
    () => {
      const missing = charges.filter((c) => !s.results.paymentEvent(c.orderId, `paystream.payment.${status}`)).map((c) => c.orderId);
      return `${String(charges.length - missing.length)} of ${String(charges.length)} orders reached ${status}; e.g. missing ${missing.slice(0, 5).join(', ')}; DLQ ${String(s.results.dlq.length)}`;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** The run's figures, recorded before anything is asserted. */
export function conclude(s: PaystreamSystem, opts: AssessOptions): ScenarioFigures {
  const figures = assess(s, opts);
  const written = record(figures);
  onTestFailed(({ task }) => recordFailure(written, (task.result?.errors?.[0]?.message ?? 'unknown').split('\n')[0] ?? ''));
  console.log(`${opts.scenario}: ${JSON.stringify({ ...figures, problems: figures.problems.length })}`);
  return figures;
}

/** Zero of everything that must be zero, with the problems as the message when it is not. */
export function expectClean(f: ScenarioFigures): void {
  const bad = {
    lost: f.lost,
    duplicated: f.duplicated,
    falseSuccesses: f.falseSuccesses,
    dlq: f.dlq,
    unverified: f.unverified,
    leaks: f.leaks,
  };
  expect(bad, f.problems.join('\n')).toEqual({ lost: 0, duplicated: 0, falseSuccesses: 0, dlq: 0, unverified: 0, leaks: 0 });
  expect(f.problems).toEqual([]);
}

/** Every order's events, deduplicated by id: exactly the action_required then the succeeded of its own charge. */
export function expectPaidOnce(s: PaystreamSystem, charges: readonly PaymentCommand[]): void {
  const wrong = charges.flatMap((c) => {
    const events = s.results.forOrder(c.orderId).map((x) => x.event);
    const seen = events.map((e) =>
      e.type === 'paystream.command.rejected'
        ? `rejected:${e.data.code}`
        : `${e.data.status}:${e.data.commandId === c.commandId ? 'own' : e.data.commandId}`,
    );
    return seen.join(',') === 'action_required:own,succeeded:own' ? [] : [`${c.orderId}: ${seen.join(', ')}`];
  });
  expect(wrong.slice(0, 10), `${String(wrong.length)} orders with other events than their action_required and succeeded`).toEqual([]);
  const ledger = s.ledger(charges);
  expect(charges.filter((c) => ledger.paid.get(c.orderId) !== 1).map((c) => c.orderId)).toEqual([]);
}
