// Retention: an ended order stays in the state for a while — long enough that late or duplicated
// commands and notifications are still recognised — and then leaves it (retired-orders.ts). A terminal
// order's clock starts when its status last changed; a `succeeded` one may still be refunded, so its
// clock starts when its refund window closes. A waiting order is never retired: the reconciler ends
// it by expiry or inquiry first. Each worker sweeps only the command partitions it owns, in each
// order's key sequence, so a fleet writes one tombstone per order and none races the order's commands.
import type { OrderState } from './order-state.ts';
import type { RetentionCutoffs } from './retained-orders.ts';
import type { RetiredOrders } from './retired-orders.ts';

const DAY_MS = 86_400_000;

/** How long ended orders stay, in days (fractions allowed), and how often they are swept. */
export interface RetentionPolicy {
  /** Days an order stays after its outcome became final (a terminal status, or the end of a success's refund window). */
  readonly retentionDays: number;
  /** Days a `succeeded` order may still be refunded; its retention counts from their end. */
  readonly refundWindowDays: number;
  /** Days the id of an order that left is remembered (and its tombstone kept on the topic). */
  readonly retiredMemoryDays: number;
  readonly sweepIntervalMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  retentionDays: 30,
  refundWindowDays: 365,
  retiredMemoryDays: 90,
  sweepIntervalMs: 60_000,
};

/** The statuses an order may leave the state with: it ended (terminal), or succeeded and its refund window closed. */
export const RETIRABLE_STATUSES = ['succeeded', 'failed', 'expired', 'canceled', 'refunded'] as const;

/** Milliseconds of a number of days. */
export const daysMs = (days: number): number => Math.round(days * DAY_MS);

/** The cutoffs of `policy` at `now`: ended orders whose clock started before them are due. */
export function cutoffsAt(policy: RetentionPolicy, now: number): RetentionCutoffs {
  const ended = now - daysMs(policy.retentionDays);
  return { ended, settled: ended - daysMs(policy.refundWindowDays) };
}

/** Orders retired per owned partition and sweep, so that a sweep never holds the event loop or the producer for long. */
const SWEEP_ROWS = 500;

export interface RetentionSweeperOptions {
  readonly retired: Pick<RetiredOrders, 'retire' | 'due' | 'isDue' | 'prune'>;
  readonly policy: RetentionPolicy;
  /** The command partitions this worker owns now, by method. */
  readonly owned: () => Iterable<{ readonly method: string; readonly partition: number }>;
  /** Runs a retirement in the order's key sequence (the consumer's `submit`); directly when absent. */
  readonly run?: (orderId: string, task: () => Promise<void>) => Promise<void>;
  readonly now?: () => number;
  /** Called for each order this worker retired, with the status it ended with. */
  readonly onRetired?: (e: { readonly orderId: string; readonly status: NonNullable<OrderState['status']> }) => void;
  readonly onError?: (err: unknown) => void;
}

export class RetentionSweeper {
  readonly #o: RetentionSweeperOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;
  #stopped = false;

  constructor(opts: RetentionSweeperOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.sweep().catch((err: unknown) => this.#o.onError?.(err)), this.#o.policy.sweepIntervalMs);
    this.#timer.unref();
  }

  /**
   * Stops sweeping; a sweep in progress retires nothing more. Retirements already handed to their key
   * sequences finish with the consumers' drain: waiting for them here could wait for a Kafka that is gone.
   */
  stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    return Promise.resolve();
  }

  /** One sweep: forgets retired ids past their memory, then retires the due orders of the owned partitions. Returns how many it retired. */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweep().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #sweep(): Promise<number> {
    const { retired, policy } = this.#o;
    const now = this.#now();
    retired.prune(now - daysMs(policy.retiredMemoryDays));
    const cutoffs = cutoffsAt(policy, now);
    let n = 0;
    for (const { method, partition } of [...this.#o.owned()]) {
      if (this.#stopped) break;
      const due = retired.due(method, partition, cutoffs, SWEEP_ROWS);
      const done = await Promise.all(due.map((orderId) => this.#retire(orderId, cutoffs, now)));
      n += done.filter(Boolean).length;
    }
    return n;
  }

  /** Retires one order in its key sequence, if it is still due then (a refund may have moved it on meanwhile). */
  async #retire(orderId: string, cutoffs: RetentionCutoffs, now: number): Promise<boolean> {
    let retiredNow = false;
    const task = async (): Promise<void> => {
      if (this.#stopped || !this.#o.retired.isDue(orderId, cutoffs)) return;
      const state = await this.#o.retired.retire(orderId, now);
      retiredNow = state !== undefined;
      if (state?.status) this.#o.onRetired?.({ orderId, status: state.status });
    };
    await (this.#o.run ? this.#o.run(orderId, task) : task());
    return retiredNow;
  }
}
