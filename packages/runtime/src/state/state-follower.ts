// The reader of the order-state topic. Alone it follows every partition (a single worker, or a topic
// not partitioned like the command topics); in a fleet (`partitioned`) it follows only the partitions
// its worker owns: a partition taken over is restored from its checkpoint (or its start) before its
// commands are handled, and one given away is dropped from the index after a grace period, once the
// old owner's last commands are surely done. Its group is its own and never commits: the checkpoints
// say where each partition resumes.
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { CrashRestarts } from '../kafka/crash-restarts.ts';
import type { OrderStore } from './order-store.ts';
import { PartitionRestores } from './partition-restores.ts';

/** How each process' state reader group is named (a fresh group per process; it never commits): ACLs grant the prefix. */
export const STATE_READER_GROUP_PREFIX = 'paystream-state-';

/** Orders dropped, and free pages handed back, per turn of the event loop. */
const DROP_PAGE_ORDERS = 2_000;
const SHRINK_PAGES = 2_048;
/**
 * The share of the worker's time a drop takes at most, resting after each page three times as long as
 * the page took: the cleanup after a rebalance must not compete with the restores that rebalance set
 * off, here or in a worker beside it on the same cores. Measured at 1,000,000 orders, a fleet's drops
 * at full speed took the CPU of a third worker's cold start.
 */
const DROP_SHARE = 0.25;

/** Waits as long as the work begun at `since` took, times (1 / DROP_SHARE − 1). */
function rest(since: number): Promise<unknown> {
  return new Promise((r) => setTimeout(r, Math.ceil((performance.now() - since) * (1 / DROP_SHARE - 1))));
}

export interface StateFollowerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly index: OrderStore;
  /** Every partition of the topic. */
  readonly partitions: readonly number[];
  readonly apply: (partition: number, message: KafkaMessage) => void;
  readonly partitioned: boolean;
  /** How long a partition given away is still followed before it is dropped. */
  readonly releaseGraceMs: number;
}

/** What the worker sees of the follower: the partitions it owns and their restores. */
export type StateFleet = Pick<StateFollower, 'owned' | 'own' | 'ready' | 'restoring' | 'holdsAll' | 'restored'>;

export class StateFollower {
  readonly #o: StateFollowerOptions;
  readonly #reader: Consumer;
  /** Learns where a partition taken over ends (what must be restored before its commands). */
  readonly #admin: Admin;
  readonly #restores: PartitionRestores;
  /** Partitions read and kept: those owned, and those given away still in their grace period. */
  readonly #followed = new Set<number>();
  readonly #wanted = new Set<number>();
  readonly #drops = new Map<number, NodeJS.Timeout>();
  readonly #dropping = new Map<number, Promise<void>>();
  #restarts: CrashRestarts | undefined;
  #read = 0;
  #stopped = false;

  private constructor(o: StateFollowerOptions) {
    this.#o = o;
    this.#reader = o.kafka.consumer({
      groupId: `${STATE_READER_GROUP_PREFIX}${String(process.pid)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      // Fetches are bounded like the command consumer's: what is fetched waits in the heap until applied.
      maxBytes: 1024 * 1024,
      maxBytesPerPartition: 512 * 1024,
      maxWaitTimeInMs: 1_000, // a stop waits for the fetch in progress
    });
    this.#admin = o.kafka.admin();
    this.#restores = new PartitionRestores(o.index, this.#admin, o.topic);
  }

  /** Joins the reader's group; alone it then restores every partition, in a fleet it waits for `own`. */
  static async start(o: StateFollowerOptions): Promise<StateFollower> {
    const f = new StateFollower(o);
    const reader = f.#reader;
    await f.#admin.connect();
    if (!o.partitioned) f.#take(o.partitions);
    await reader.connect();
    await reader.subscribe({ topic: o.topic, fromBeginning: true });
    reader.on(reader.events.GROUP_JOIN, ({ payload }) => f.#joined(payload.memberAssignment[o.topic] ?? []));
    // Run again after a crash kafkajs does not restart (a refused login on reconnect): it resumes at the checkpoints.
    f.#restarts = await CrashRestarts.run(reader, { autoCommit: false, eachBatch: (p) => f.#batch(p) });
    return f;
  }

  /** Resolves once every partition followed so far is restored. */
  restored(): Promise<void> {
    return this.#restores.all();
  }

  /** The state partitions now owned (all of them alone). */
  get owned(): readonly number[] | 'all' {
    return this.#o.partitioned ? [...this.#wanted].sort((a, b) => a - b) : 'all';
  }

  /** Whether the index holds every partition, restored: an order it lacks is nobody's. */
  get holdsAll(): boolean {
    return (!this.#o.partitioned || this.#o.partitions.every((p) => this.#wanted.has(p))) && !this.#restores.pending;
  }

  /** True while an owned partition is restoring. */
  get restoring(): boolean {
    return this.#restores.pending;
  }

  /** Whether the partition is read and kept here (owned, or given away and still in its grace period). */
  follows(partition: number): boolean {
    return !this.#o.partitioned || this.#followed.has(partition);
  }

  /** Whether the partition is being restored (taken over, or taken back after it was dropped). */
  restores(partition: number): boolean {
    return this.#restores.restoring(partition);
  }

  /** Undefined when the partition's commands may go on, else what they wait for (its restore). */
  ready(partition: number): Promise<void> | undefined {
    return this.#restores.ready(partition);
  }

  /** The partitions the worker owns now (its command partitions, the state's being the same). A fleet only. */
  own(partitions: Iterable<number>): void {
    if (!this.#o.partitioned || this.#stopped) return;
    const next = new Set(partitions);
    this.#wanted.clear();
    for (const p of next) this.#wanted.add(p);
    this.#take([...next].filter((p) => !this.#followed.has(p) || this.#drops.has(p)));
    for (const p of this.#followed) if (!next.has(p) && !this.#drops.has(p)) this.#release(p);
  }

  get recordsRead(): number {
    return this.#read;
  }

  get down(): boolean {
    return this.#restarts?.down ?? false;
  }

  get failure(): unknown {
    return this.#restarts?.failure;
  }

  wake = (): void => this.#restarts?.wake();

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const t of this.#drops.values()) clearTimeout(t);
    this.#drops.clear();
    this.#restarts?.stop();
    this.#restores.cancel();
    await Promise.allSettled([this.#reader.disconnect(), this.#admin.disconnect()]);
  }

  #take(partitions: readonly number[]): void {
    for (const p of partitions) {
      clearTimeout(this.#drops.get(p));
      if (this.#drops.delete(p)) continue; // still followed and current: nothing to restore
      this.#followed.add(p);
      // Taken back while it is being dropped: restored from its start once the drop is done.
      this.#restores.begin(p, (offset) => this.#resume(p, offset), this.#dropping.get(p));
    }
  }

  #release(partition: number): void {
    const drop = (): void => {
      if (this.#stopped || this.#wanted.has(partition)) return;
      this.#drops.delete(partition);
      this.#followed.delete(partition);
      this.#pause(partition);
      this.#restores.abandon(partition);
      this.#dropping.set(partition, this.#dropAll(partition));
    };
    this.#drops.set(partition, setTimeout(drop, this.#o.releaseGraceMs).unref());
  }

  /** Drops a partition from the index a page at a time (DROP_SHARE), then hands the freed pages back. */
  async #dropAll(partition: number): Promise<void> {
    let after: number | undefined = 0;
    while (after !== undefined && !this.#stopped) {
      const began = performance.now();
      try {
        after = this.#o.index.dropPage(partition, after, DROP_PAGE_ORDERS);
        await rest(began);
      } catch {
        // The index stages a restore (a start taking partitions over): dropped once it is done.
        await new Promise((r) => setTimeout(r, 1_000).unref());
      }
    }
    for (let began = performance.now(); !this.#stopped && this.#o.index.shrink(SHRINK_PAGES); began = performance.now()) await rest(began);
    this.#dropping.delete(partition);
  }

  /** At every join of the reader's group: followed partitions resume at their checkpoints, the rest wait. */
  #joined(assigned: readonly number[]): void {
    for (const p of assigned) {
      const next = this.#o.index.checkpoint(p);
      if (!this.#followed.has(p)) this.#pause(p);
      else if (next !== undefined) this.#reader.seek({ topic: this.#o.topic, partition: p, offset: String(next) });
    }
  }

  #resume(partition: number, offset: number): void {
    try {
      this.#reader.seek({ topic: this.#o.topic, partition, offset: String(offset) });
      this.#reader.resume([{ topic: this.#o.topic, partitions: [partition] }]);
    } catch {
      // The group is being made again: its join seeks to the checkpoint (#joined).
    }
  }

  #pause(partition: number): void {
    try {
      this.#reader.pause([{ topic: this.#o.topic, partitions: [partition] }]);
    } catch {
      // No group yet: its join pauses what is not followed (#joined).
    }
  }

  #batch({ batch }: EachBatchPayload): Promise<void> {
    this.#read += batch.messages.length;
    // A fetch may outlive a pause: what is no longer followed is not applied.
    if (!this.#followed.has(batch.partition)) return Promise.resolve();
    const index = this.#o.index;
    // Records before the checkpoint (a fetch that began before a seek) were applied already.
    const next = index.checkpoint(batch.partition) ?? 0;
    for (const message of batch.messages) if (Number(message.offset) >= next) this.#o.apply(batch.partition, message);
    const last = batch.messages.at(-1);
    if (last && Number(last.offset) >= next) index.advance(batch.partition, Number(last.offset) + 1);
    this.#restores.progressed(batch.partition);
    return Promise.resolve();
  }
}
