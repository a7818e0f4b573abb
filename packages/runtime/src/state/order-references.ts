// Each order's Midtrans references, method, charge command and last status, kept in a compacted
// Kafka topic keyed by order id: the state survives restarts without a database service. A worker
// alone follows the whole topic; in a fleet each follows the partitions it owns (state-follower.ts).
// What it read is indexed in a local file (OrderStore), not held in memory, which keeps per partition
// how far it applied the topic: a restart reads only what follows; a file it cannot trust is rebuilt.
// Records merge monotonically: references accumulate and the status only moves forward.
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { ORDER_STATE_TOPIC, orderStateTopic } from '../kafka/topology.ts';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';
import { partitionOfKey } from '../kafka/partitioner.ts';
import { Publisher, type OutMessage } from '../kafka/publisher.ts';
import type { IndexRebuildReason } from './checkpoint.ts';
import { checkpointsFit } from './checkpoint-reader.ts';
import { StateFollower, type StateFleet } from './state-follower.ts';
import { OrderStore, type OrderSchedule } from './order-store.ts';
import { emptyOrderState, type OrderChange, type OrderState } from './order-state.ts';
import { readStateRecord, type SkippedStateRecord, type StateSkipReason } from './state-record.ts';
import { COMMAND_BINDING_PREFIX, commandBindingField, mergeState, newReferences, same } from './state-merge.ts';
import { daysMs } from './retention.ts';
import { RetiredOrders } from './retired-orders.ts';

/** Names the worker instance that wrote a state record, so it need not read its own records back. */
const WRITER_HEADER = 'paystream-writer';

export type { SkippedStateRecord } from './state-record.ts';

export interface OrderReferencesOptions {
  /** The folder of the local index, kept across restarts and locked (see OrderStore.open); `:memory:` in tests. */
  readonly dir?: string;
  /** Without `dir`: the root whose first free slot `index-<n>` holds the index (index-dir.ts); a fresh temporary folder when absent too. */
  readonly slotsUnder?: string;
  /** Called for each record skipped, at start-up and while following (to count and log it). */
  readonly onSkip?: (skipped: SkippedStateRecord) => void;
  /** How long retired ids are remembered (`state.retiredMemoryDays`): an index that applied nothing for longer is rebuilt. */
  readonly retiredMemoryDays?: number;
  /** In a fleet: follow only the partitions given to `own` (state-follower.ts); alone, every partition. */
  readonly partitioned?: boolean;
  /** How long a partition given away is still followed before its orders are dropped (30 s). */
  readonly releaseGraceMs?: number;
}

export { STATE_READER_GROUP_PREFIX } from './state-follower.ts';

export class OrderReferences {
  readonly #store: OrderStore;
  readonly #listeners = new Set<(orderId: string, state: OrderState) => void>();
  readonly #publisher: Publisher;
  readonly #topic: string;
  readonly #writer = randomUUID();
  readonly #onSkip: ((skipped: SkippedStateRecord) => void) | undefined;
  #follower!: StateFollower;
  #partitions = 1;
  /** Orders that left the state after their retention (retired-orders.ts). */
  readonly retired: RetiredOrders;

  private constructor(publisher: Publisher, topic: string, store: OrderStore, onSkip: OrderReferencesOptions['onSkip']) {
    this.#publisher = publisher;
    this.#topic = topic;
    this.#store = store;
    this.#onSkip = onSkip;
    this.retired = new RetiredOrders(store, publisher, topic, { [WRITER_HEADER]: this.#writer });
  }

  /** Creates the compacted topic if needed, applies what follows the index's checkpoints, then follows it. */
  static async open(
    kafka: Kafka,
    admin: Admin,
    producer: Producer | Publisher,
    topic = ORDER_STATE_TOPIC,
    options: OrderReferencesOptions = {},
  ): Promise<OrderReferences> {
    await createTopicsWithLeaders(admin, [orderStateTopic(topic)]);
    const [{ clusterId }, ends] = await Promise.all([admin.describeCluster(), admin.fetchTopicOffsets(topic)]);
    const where = options.dir ?? (options.slotsUnder === undefined ? undefined : { slotsUnder: options.slotsUnder });
    const staleAfterMs = options.retiredMemoryDays === undefined ? undefined : daysMs(options.retiredMemoryDays);
    const index = OrderStore.open(where, { topic, clusterId, ...(staleAfterMs ? { staleAfterMs } : {}) }, checkpointsFit(ends));
    const store = new OrderReferences(producer instanceof Publisher ? producer : new Publisher(producer), topic, index, options.onSkip);
    store.#partitions = ends.length;
    store.#follower = await StateFollower.start({
      kafka,
      topic,
      index,
      partitions: ends.map((e) => e.partition),
      apply: (partition, message) => store.#follow(partition, message),
      partitioned: options.partitioned ?? false,
      releaseGraceMs: options.releaseGraceMs ?? 30_000,
    });
    await store.#follower.restored();
    return store;
  }

  /** Which state partitions this worker follows and restores: in a fleet those it owns, alone all (state-follower.ts). */
  get fleet(): StateFleet {
    return this.#follower;
  }

  /** The state topic's partition count. */
  get partitionCount(): number {
    return this.#partitions;
  }

  /** The state partition of an order. */
  partitionOf = (orderId: string): number => partitionOfKey(orderId, this.#partitions);

  /** Why the index was rebuilt from the topic at open, or undefined when it resumed from its checkpoints. */
  get rebuilt(): IndexRebuildReason | undefined {
    return this.#store.rebuilt;
  }

  /** Records of the topic read since open: right after it, what the start replayed. */
  get recordsRead(): number {
    return this.#follower.recordsRead;
  }

  /** The local index's folder, or undefined when it is in memory. */
  get indexDir(): string | undefined {
    return this.#store.dir;
  }

  get(orderId: string): OrderState {
    return this.#store.get(orderId) ?? emptyOrderState();
  }

  /** The order a Midtrans reference (referenceNo, X-EXTERNAL-ID, partnerReferenceNo) belongs to. */
  orderOf(reference: string): string | undefined {
    if (this.#store.get(reference)) return reference;
    return reference.startsWith(COMMAND_BINDING_PREFIX) ? undefined : this.#store.orderOf(reference);
  }

  /** The order whose state binds the commandId, if any. */
  orderOfCommand(commandId: string): string | undefined {
    return this.#store.orderOf(commandBindingField(commandId));
  }

  /** False once the reader of the topic stopped for good: changes by other workers no longer arrive. */
  get following(): boolean {
    return !this.#follower.down;
  }

  /** The error the reader crashed with, until it follows again (it is restarted meanwhile). */
  get failure(): unknown {
    return this.#follower.failure;
  }

  /** Restarts a crashed reader now instead of at the end of its backoff. */
  wake = (): void => this.#follower.wake();
  get size(): number {
    return this.#store.size;
  }

  /** Every order and its state, a page at a time from the local index. */
  entries(): IterableIterator<[string, OrderState]> {
    return this.#store.entries();
  }

  /** Every order still waiting for its outcome, the same way. */
  waiting(): IterableIterator<[string, OrderState]> {
    return this.#store.waiting();
  }

  /** The reconciler's schedule, kept beside the orders it names. */
  get schedule(): OrderSchedule {
    return this.#store.schedule;
  }

  /** Called whenever an order's state changes, from this worker or from another one. */
  onChange(listener: (orderId: string, state: OrderState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The record that persists `change` merged into the order (a version 2 state), or undefined when nothing changes.
   * The caller sends it (with whatever must be written alongside) and then calls `applied`.
   */
  change(orderId: string, change: OrderChange): { readonly merged: OrderState; readonly record?: OutMessage } {
    const current = this.#store.get(orderId);
    const merged = mergeState(current, change);
    if (current && same(current, merged)) return { merged };
    return {
      merged,
      record: { topic: this.#topic, key: orderId, value: JSON.stringify(merged), headers: { [WRITER_HEADER]: this.#writer } },
    };
  }

  /** Records what was just acknowledged by Kafka, without waiting for it to come back through the topic. */
  applied(orderId: string, merged: OrderState): void {
    const partition = this.partitionOf(orderId);
    // A partition given away and dropped meanwhile: the topic has the record, and its owner reads it.
    if (this.#follower.follows(partition)) this.#apply(orderId, merged, partition);
  }

  /** Merges a change into the order and persists it (acks=all). */
  async remember(orderId: string, change: OrderChange): Promise<OrderState> {
    const { merged, record } = this.change(orderId, change);
    if (!record) return merged;
    await this.#publisher.send([record]);
    this.applied(orderId, merged);
    return merged;
  }

  /** Stops reading the topic; the index stays open for this worker's own writes until `close`. */
  async stopFollowing(): Promise<void> {
    await this.#follower.stop();
  }

  async close(): Promise<void> {
    await this.stopFollowing();
    this.#store.close();
  }

  /**
   * A record read from the topic, validated before use: a bad one is skipped and reported, never
   * applied (see state-record.ts). This instance's own records were applied when Kafka acknowledged
   * them (`applied`); reading them back would only parse and merge them a second time.
   */
  #follow(partition: number, message: KafkaMessage): void {
    const read = readStateRecord(message.key, message.value);
    const skip = (reason: StateSkipReason): void => this.#onSkip?.({ partition, offset: message.offset, reason });
    if ('skip' in read) {
      skip(read.skip);
      return;
    }
    // Its own records were applied when Kafka acknowledged them — unless the partition was dropped since
    // and is being restored from its start: then they are read like any other.
    const writer = message.headers?.[WRITER_HEADER];
    const own = writer !== undefined && !Array.isArray(writer) && writer.toString() === this.#writer;
    if (own && !this.#follower.restores(partition)) return;
    if (read.state) this.#apply(read.orderId, read.state, partition);
    else if (!this.retired.read(read.orderId, message.headers)) skip('unknown_tombstone');
  }

  #apply(orderId: string, incoming: OrderState, partition: number): void {
    const current = this.#store.get(orderId);
    const merged = mergeState(current, incoming);
    if (current && same(current, merged)) return;
    this.#store.put(orderId, merged, newReferences(orderId, current, merged), partition);
    for (const l of this.#listeners) l(orderId, merged);
  }
}
