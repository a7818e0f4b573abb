// Every record the worker writes (result events, order state, DLQ records) goes through one
// publisher. It keeps exactly one produce request in flight — which the idempotent producer needs —
// and puts everything queued meanwhile into the next request, so the cost of an acks=all round trip
// is shared by all the commands that finished during it instead of paid by each.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer, TopicMessages } from 'kafkajs';

export interface OutMessage {
  readonly topic: string;
  readonly key: string | null;
  /** `null` is a tombstone (compacted topics). */
  readonly value: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** A partition chosen by the writer; otherwise the key's. */
  readonly partition?: number;
}

interface Pending {
  readonly messages: readonly OutMessage[];
  readonly done: () => void;
}

export interface PublisherOptions {
  /** Upper bound of records per produce request. */
  readonly maxBatch?: number;
  /** Called for every failed produce request; the publisher retries it. */
  readonly onError?: (err: unknown, attempt: number) => void;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /**
   * How long one produce request may go unacknowledged before producing counts as failing (ms).
   * The idempotent producer retries a lost cluster forever rather than throwing, so a request that
   * never returns is how an unreachable broker shows.
   */
  readonly stallMs?: number;
  readonly now?: () => number;
}

export class Publisher {
  readonly #producer: Producer;
  readonly #maxBatch: number;
  readonly #opts: PublisherOptions;
  #queue: Pending[] = [];
  #flying = false;
  #failing = false;
  /** When the produce request in flight was sent, while one is. */
  #sentAt: number | undefined;
  #sentBatches = 0;
  #sentRecords = 0;

  constructor(producer: Producer, opts: PublisherOptions = {}) {
    this.#producer = producer;
    this.#maxBatch = opts.maxBatch ?? 2_000;
    this.#opts = opts;
  }

  /**
   * Resolves once every message is acknowledged by all in-sync replicas. Messages of one call are
   * written in order and never split from messages queued after them, so per-key order holds.
   * A failing cluster is retried until it recovers: nothing is dropped, and the caller's offset is
   * not committed meanwhile.
   */
  send(messages: readonly OutMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise((done) => {
      this.#queue.push({ messages, done });
      if (!this.#flying) void this.#pump();
    });
  }

  /** True while produce requests fail or go unacknowledged past `stallMs` (the broker is unreachable); for readiness. */
  get failing(): boolean {
    const now = this.#opts.now ?? Date.now;
    return this.#failing || (this.#sentAt !== undefined && now() - this.#sentAt > (this.#opts.stallMs ?? 10_000));
  }

  get stats(): { batches: number; records: number; queued: number } {
    return { batches: this.#sentBatches, records: this.#sentRecords, queued: this.#queue.reduce((n, p) => n + p.messages.length, 0) };
  }

  async #pump(): Promise<void> {
    this.#flying = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#take();
        await this.#sendWithRetries(batch.flatMap((p) => p.messages));
        for (const p of batch) p.done();
      }
    } finally {
      this.#flying = false;
    }
  }

  #take(): Pending[] {
    let count = 0;
    let n = 0;
    while (n < this.#queue.length && (n === 0 || count + (this.#queue[n]?.messages.length ?? 0) <= this.#maxBatch)) {
      count += this.#queue[n]?.messages.length ?? 0;
      n++;
    }
    return this.#queue.splice(0, n);
  }

  async #sendWithRetries(messages: OutMessage[]): Promise<void> {
    const byTopic = new Map<string, TopicMessages>();
    for (const m of messages) {
      let t = byTopic.get(m.topic);
      if (!t) byTopic.set(m.topic, (t = { topic: m.topic, messages: [] }));
      t.messages.push({
        key: m.key,
        value: m.value,
        ...(m.headers ? { headers: { ...m.headers } } : {}),
        ...(m.partition === undefined ? {} : { partition: m.partition }),
      });
    }
    const topicMessages = [...byTopic.values()];
    for (let attempt = 1; ; attempt++) {
      this.#sentAt = (this.#opts.now ?? Date.now)();
      try {
        await this.#producer.sendBatch({ acks: -1, topicMessages });
        this.#sentAt = undefined;
        this.#failing = false;
        this.#sentBatches++;
        this.#sentRecords += messages.length;
        return;
      } catch (err) {
        this.#sentAt = undefined;
        this.#failing = true;
        this.#opts.onError?.(err, attempt);
        const base = this.#opts.retryBaseMs ?? 100;
        await sleep(Math.min(this.#opts.retryMaxMs ?? 5_000, base * 2 ** Math.min(attempt, 10)) * (0.5 + Math.random() / 2));
      }
    }
  }
}
