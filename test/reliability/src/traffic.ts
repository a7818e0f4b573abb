// Upstream traffic and paying customers for the Midtrans-side scenarios (faults, credentials, key
// rotation, hostile notifications): charges keep arriving while a fault is on, every customer pays
// when asked, and the run ends when every order reached its outcome — waited for on conditions,
// never on sleeps.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentCommand, PaymentStatus } from '@paystream/contracts';
import { until, type PaystreamSystem } from '@paystream/test-harness';
import { expect } from 'vitest';

export interface TrafficOptions {
  /** Methods the charges go round-robin over. */
  readonly methods: readonly string[];
  /** Prefix of every order id (unique per run). */
  readonly tag: string;
}

export class Traffic {
  readonly charges: PaymentCommand[] = [];
  readonly #s: PaystreamSystem;
  readonly #o: TrafficOptions;
  #failure: Error | undefined;

  constructor(s: PaystreamSystem, opts: TrafficOptions) {
    this.#s = s;
    this.#o = opts;
  }

  /** Publishes `n` charges now, each with an amount of its own; their customers pay as soon as asked. */
  async send(n: number, { pay = true }: { pay?: boolean } = {}): Promise<PaymentCommand[]> {
    const first = this.charges.length;
    const wave = await Promise.all(
      Array.from({ length: n }, (_, k) => {
        const i = first + k;
        return this.#s.charge({
          method: this.#o.methods[i % this.#o.methods.length] ?? 'gopay',
          orderId: `${this.#o.tag}-${String(i)}`,
          amount: 20_000 + i,
        });
      }),
    );
    this.charges.push(...wave);
    await this.#s.upstream.send(wave);
    if (pay) {
      const paying = this.#s.payWhenAsked(
        wave.map((c) => c.orderId),
        { timeoutMs: 600_000 },
      );
      // Kept, not thrown: a refused order is reported when the run settles, with the rest.
      void paying.catch((err: unknown) => void (this.#failure ??= err instanceof Error ? err : new Error(String(err))));
    }
    return wave;
  }

  /** Publishes a wave of `perWave` charges every `gapMs` until `work` is done: the fault meets traffic in flight. */
  async during<T>(work: () => Promise<T>, { perWave, gapMs }: { perWave: number; gapMs: number }): Promise<T> {
    const flowing = { on: true };
    const flow = (async () => {
      while (flowing.on) {
        await this.send(perWave);
        await sleep(gapMs);
      }
    })();
    try {
      return await work();
    } finally {
      flowing.on = false;
      await flow;
    }
  }

  /** Orders among the charges (or `of`) with an event of `status`. */
  reached(status: PaymentStatus = 'succeeded', of: readonly PaymentCommand[] = this.charges): PaymentCommand[] {
    return of.filter((c) => this.#s.results.paymentEvent(c.orderId, `paystream.payment.${status}`));
  }

  /** Waits until every customer paid and every order (or `of`) has an event of `status`. */
  async settled(timeoutMs: number, status: PaymentStatus = 'succeeded', of: readonly PaymentCommand[] = this.charges): Promise<void> {
    await until(
      () => this.#failure !== undefined || this.reached(status, of).length === of.length,
      () => {
        const missing = of.filter((c) => !this.#s.results.paymentEvent(c.orderId, `paystream.payment.${status}`)).map((c) => c.orderId);
        return `${String(of.length - missing.length)} of ${String(of.length)} orders reached ${status}; missing e.g. ${missing.slice(0, 5).join(', ')}; DLQ ${String(this.#s.results.dlq.length)}`;
      },
      { timeoutMs, intervalMs: 250 },
    );
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/** Every order of `charges`: one charge in the ledger, paid once, exactly one terminal outcome event. */
export function expectChargedOnce(s: PaystreamSystem, charges: readonly PaymentCommand[]): void {
  const ledger = s.ledger(charges);
  expect(ledger.problems).toEqual([]);
  expect(charges.filter((c) => ledger.paid.get(c.orderId) !== 1).map((c) => c.orderId)).toEqual([]);
  const outcomes = (c: PaymentCommand): string[] =>
    s.results
      .forOrder(c.orderId)
      .map((x) => x.event)
      .flatMap((e) =>
        e.type !== 'paystream.command.rejected' && ['succeeded', 'failed', 'expired', 'canceled'].includes(e.data.status)
          ? [e.data.status]
          : [],
      );
  expect(charges.filter((c) => outcomes(c).join() !== 'succeeded').map((c) => `${c.orderId}: ${outcomes(c).join(', ')}`)).toEqual([]);
}

/** The workers' JSON log records with this message (`msg`). */
export function logRecords(s: PaystreamSystem, msg: string): Record<string, unknown>[] {
  return s.workerLogs().flatMap((l) => (l.json && l.json['msg'] === msg ? [l.json] : []));
}
