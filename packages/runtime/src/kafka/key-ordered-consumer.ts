// A Kafka consumer group member with key-ordered concurrency: messages of one key are handled in
// order, different keys in parallel, at most `maxInFlight` at once (fetching waits when full), and
// offsets are committed only up to the lowest unfinished message of each partition.
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { CommitPoints } from './commit-points.ts';
import { CrashRestarts } from './crash-restarts.ts';
import { HeldPauses } from './held-pauses.ts';
import { KeyedScheduler } from './keyed-scheduler.ts';
import { OffsetTracker } from './offset-tracker.ts';
import { awaitPartitionGate } from './partition-gate.ts';
import {
  FETCH_MAX_BYTES,
  FETCH_MAX_BYTES_PER_PARTITION,
  FETCH_MAX_WAIT_MS,
  type KeyOrderedConsumerOptions,
} from './key-ordered-options.ts';

export type { ConsumedMessage, KeyOrderedConsumerOptions } from './key-ordered-options.ts';

export class KeyOrderedConsumer {
  readonly #opts: KeyOrderedConsumerOptions;
  readonly #consumer: Consumer;
  readonly #scheduler: KeyedScheduler;
  readonly #tracker = new OffsetTracker();
  readonly #commits: CommitPoints;
  #maxSeen = 0;
  #assignment: Readonly<Record<string, readonly number[]>> = {};
  #joined = false;
  readonly #pauses: HeldPauses;
  readonly #highWatermarks = new Map<string, number>();
  readonly #assignmentListeners = new Set<(assignment: Readonly<Record<string, readonly number[]>>) => void>();
  readonly #restarts: CrashRestarts;

  constructor(opts: KeyOrderedConsumerOptions) {
    this.#opts = opts;
    this.#scheduler = new KeyedScheduler(opts.maxInFlight);
    this.#consumer = opts.kafka.consumer({
      groupId: opts.groupId,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
      // A fetched response stays in memory until every message of it is handed to the scheduler,
      // which holds maxInFlight at most: kafkajs' 10 MiB (tens of thousands of commands) would only
      // sit in the heap. 1 MiB is still thousands of commands ahead of the scheduler.
      maxBytes: FETCH_MAX_BYTES,
      maxBytesPerPartition: FETCH_MAX_BYTES_PER_PARTITION,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      ...(opts.partitionAssigners ? { partitionAssigners: [...opts.partitionAssigners] } : {}),
    });
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, ({ payload }) => this.#onAssignment(payload.memberAssignment));
    this.#pauses = new HeldPauses(this.#consumer);
    this.#restarts = new CrashRestarts(this.#consumer, () => this.#run(), opts.restarts);
    this.#commits = new CommitPoints(this.#consumer, {
      intervalMs: opts.commitIntervalMs ?? 50,
      onError: (err) => opts.onError?.(err),
      down: () => this.#restarts.down,
    });
  }

  /** The largest number of messages in flight at one moment (a bound the tests check). */
  get maxInFlightSeen(): number {
    return this.#maxSeen;
  }

  get inFlight(): number {
    return this.#scheduler.pending;
  }

  /** The partitions this member owns now, by topic. */
  get assignment(): Readonly<Record<string, readonly number[]>> {
    return this.#assignment;
  }

  /** False until the member joined its group, and from a crash until it joins again. */
  get joined(): boolean {
    return this.#joined && !this.#restarts.down;
  }

  /** The error the member crashed with, until it joins again (it is restarted meanwhile). */
  get failure(): unknown {
    return this.#restarts.failure;
  }

  /** Restarts a crashed member now instead of at the end of its backoff. */
  wake = (): void => this.#restarts.wake();

  owns(topic: string, partition: number): boolean {
    return this.#assignment[topic]?.includes(partition) ?? false;
  }

  onAssignment(listener: (assignment: Readonly<Record<string, readonly number[]>>) => void): () => void {
    this.#assignmentListeners.add(listener);
    return () => this.#assignmentListeners.delete(listener);
  }

  /** Messages on the owned partitions not yet finished: the high watermark minus the commit point. */
  lag(): { topic: string; partition: number; lag: number }[] {
    return Object.entries(this.#assignment).flatMap(([topic, partitions]) =>
      partitions.map((partition) => {
        const hw = this.#highWatermarks.get(`${topic}\u0000${String(partition)}`);
        const done = this.#tracker.committable(topic, partition) ?? this.#tracker.lowestUnfinished(topic, partition);
        return { topic, partition, lag: hw === undefined || done === undefined ? 0 : Math.max(0, hw - done) };
      }),
    );
  }

  /**
   * Runs side work for a key (a notification, a reconciliation) after everything already queued for
   * that key and within the in-flight bound, so it never races a command of the same order.
   */
  async submit(key: string, task: () => Promise<void>): Promise<void> {
    await this.#scheduler.waitForRoom();
    return this.#scheduler.submit(key, task);
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    for (const topic of this.#opts.topics) await this.#consumer.subscribe({ topic, fromBeginning: this.#opts.fromBeginning ?? true });
    await this.#run();
  }

  /** Runs the subscribed consumer: at start, and again after a crash (crash-restarts.ts). */
  async #run(): Promise<void> {
    const running = this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: (p) => this.#eachBatch(p),
    });
    // run() makes its group at once and joins later: a pause asked for before start holds from the first fetch.
    this.#pauses.reapply();
    await running;
  }

  /**
   * Stops fetching from the topics until `resume`. Safe at any moment — before start (a breaker may
   * open while other consumers still join), during a kafkajs restart, after stop — and kept across
   * rejoins, which would otherwise start a fresh kafkajs group unpaused.
   */
  pause(topics: readonly string[] = this.#opts.topics): void {
    this.#pauses.pause(topics);
  }

  resume(topics: readonly string[] = this.#opts.topics): void {
    this.#pauses.resume(topics);
  }

  /** Whether fetching from the topic is held (by `pause`). */
  isPaused(topic: string = this.#opts.topics[0] ?? ''): boolean {
    return this.#pauses.has(topic);
  }

  /** Stops fetching, finishes in-flight work within `drainMs`, commits what finished, disconnects. */
  async stop(drainMs = 30_000): Promise<void> {
    this.#restarts.stop();
    // Paused rather than stopped first: the member keeps its partitions while it commits its last work.
    this.pause();
    await Promise.race([this.#scheduler.drain(), new Promise((r) => setTimeout(r, drainMs).unref())]);
    // A commit refused now (the group rebalancing as the fleet changes) leaves that work to be redelivered: the stop goes on.
    await this.#commits.flush().catch((err: unknown) => this.#opts.onError?.(err));
    await this.#consumer.stop();
    await this.#consumer.disconnect();
  }

  /** Leaves without finishing or committing anything more, as a crash would. */
  async abandon(): Promise<void> {
    this.#restarts.stop();
    this.#commits.clear();
    this.#tracker.partitions().forEach(({ topic, partition }) => this.#tracker.forget(topic, partition));
    await this.#consumer.disconnect();
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const gate = this.#opts.ready?.(batch.partition);
    if (gate && !(await awaitPartitionGate(gate, payload))) return;
    this.#highWatermarks.set(`${batch.topic}\u0000${String(batch.partition)}`, Number(batch.highWatermark));
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      if (this.#scheduler.full) {
        await this.#scheduler.waitForRoom();
        await payload.heartbeat();
      }
      const offset = Number(message.offset);
      const track = this.#tracker.start(batch.topic, batch.partition, offset);
      const key = message.key?.toString() ?? `${batch.topic}/${String(batch.partition)}`;
      void this.#scheduler
        .submit(key, () => this.#opts.handle({ topic: batch.topic, partition: batch.partition, message }))
        .then(
          () => this.#finished(batch.topic, batch.partition, track, offset),
          (err: unknown) => this.#opts.onError?.(err),
        );
      this.#maxSeen = Math.max(this.#maxSeen, this.#scheduler.pending);
      // Tells kafkajs where to fetch next; with autoCommit off it never commits this position.
      payload.resolveOffset(message.offset);
    }
  }

  #finished(topic: string, partition: number, track: ReturnType<OffsetTracker['start']>, offset: number): void {
    const next = this.#tracker.finish(topic, partition, track, offset);
    if (next === undefined) return;
    this.#commits.set(topic, partition, next);
  }

  /**
   * After every (re)join the group resumes each partition from its committed offset, so whatever was
   * tracked before is forgotten: work taken away is redelivered to its new owner, work kept is
   * redelivered here (and replayed by Midtrans' idempotency), and late completions of either can
   * never move a commit point.
   */
  #onAssignment(assignment: Record<string, number[]>): void {
    for (const { topic, partition } of this.#tracker.partitions()) this.#tracker.forget(topic, partition);
    this.#commits.joined();
    this.#joined = true;
    // A group kafkajs made anew (a restart after a crash) starts unpaused.
    this.#pauses.reapply();
    this.#assignment = Object.fromEntries(Object.entries(assignment).map(([t, ps]) => [t, [...ps].sort((a, b) => a - b)]));
    for (const l of this.#assignmentListeners) l(this.#assignment);
  }
}
