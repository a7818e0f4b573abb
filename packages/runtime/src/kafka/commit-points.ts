// The commit points a consumer-group member has still to commit, one per partition, flushed together
// a moment after work finishes. A commit the brokers refuse because the group moved on is dropped
// (the new owner redelivers from the last commit); any other refusal keeps the points for the next
// flush, and never stops the flushes after it.
import type { Consumer } from 'kafkajs';
import { offsetsCommittedSafely } from '../tracing/commit-spans.ts';

const REBALANCE_ERRORS = new Set(['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID']);
const isRebalance = (err: unknown): boolean =>
  err instanceof Error && REBALANCE_ERRORS.has(String((err as Error & { type?: unknown }).type));

interface CommitPoint {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${String(partition)}`;

export class CommitPoints {
  readonly #consumer: Pick<Consumer, 'commitOffsets'>;
  readonly #intervalMs: number;
  readonly #onError: (err: unknown) => void;
  readonly #down: () => boolean;
  readonly #points = new Map<string, CommitPoint>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  /** Counts the joins: a point from before the last one is never put back to commit. */
  #generation = 0;

  /** `down`: whether the member is crashed, with no group to commit to (its next join starts from the last commit anyway). */
  constructor(
    consumer: Pick<Consumer, 'commitOffsets'>,
    opts: { intervalMs: number; onError: (err: unknown) => void; down: () => boolean },
  ) {
    this.#consumer = consumer;
    this.#intervalMs = opts.intervalMs;
    this.#onError = opts.onError;
    this.#down = opts.down;
  }

  /** Records the partition's next commit point and flushes within the interval. */
  set(topic: string, partition: number, offset: number): void {
    this.#points.set(keyOf(topic, partition), { topic, partition, offset });
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.flush().catch(this.#onError);
    }, this.#intervalMs);
  }

  /** A (re)join: what was to commit belonged to the assignment before it. */
  joined(): void {
    this.#generation++;
    this.clear();
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#points.clear();
  }

  /** Commits every point now; rejects with a refusal other than a rebalance. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushing = this.#flushing.catch(() => undefined).then(() => this.#commit());
    return this.#flushing;
  }

  async #commit(): Promise<void> {
    if (this.#down()) this.#points.clear();
    if (this.#points.size === 0) return;
    const generation = this.#generation;
    const points = [...this.#points.values()];
    this.#points.clear();
    try {
      await this.#consumer.commitOffsets(points.map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.offset) })));
      offsetsCommittedSafely(points);
    } catch (err) {
      if (isRebalance(err)) return;
      if (generation === this.#generation)
        for (const p of points) if (!this.#points.has(keyOf(p.topic, p.partition))) this.#points.set(keyOf(p.topic, p.partition), p);
      throw err;
    }
  }
}
