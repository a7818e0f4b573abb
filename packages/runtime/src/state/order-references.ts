// Each order's Midtrans references, method, charge command and last status, kept in a compacted
// Kafka topic keyed by order id: the state survives restarts without a database service. Every
// worker reads the whole topic at start and then follows it, so an order charged by one worker is
// known to the others — their notification ingress, and whoever owns its partition after a rebalance.
// What it read is indexed in a local file (OrderStore), not held in memory: the orders of a
// million-command backlog all wait for their customers at once.
// Records merge monotonically: references accumulate and the status only moves forward, so a late or
// concurrent record can never move an order back.
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { PaymentStatus } from '@paystream/contracts';
import type { KnownReferences } from '@paystream/plugin-sdk';
import { ORDER_STATE_TOPIC } from '../kafka/topology.ts';
import { Publisher, type OutMessage } from '../kafka/publisher.ts';
import { OrderStore, type OrderSchedule } from './order-store.ts';
import { mayFollow } from './transitions.ts';

/** References under which Midtrans notifications may name an order instead of its order id. */
const LOOKUP_KEYS = ['referenceNo', 'externalId', 'partnerReferenceNo'] as const;

/** Names the worker instance that wrote a state record, so it need not read its own records back. */
const WRITER_HEADER = 'paystream-writer';

export interface OrderReferencesOptions {
  /** The folder of the local index (see OrderStore.open); a fresh temporary one by default. */
  readonly dir?: string;
}

/** The references under which an order may be looked up that `next` adds to `current`. */
function newReferences(orderId: string, current: KnownReferences | undefined, next: KnownReferences): string[] {
  return LOOKUP_KEYS.flatMap((key) => {
    const value = next[key];
    return value && value !== orderId && value !== current?.[key] ? [value] : [];
  });
}

export function mergeState(current: KnownReferences | undefined, incoming: KnownReferences): KnownReferences {
  if (!current) return incoming;
  const from = current['status'] as PaymentStatus | undefined;
  const to = incoming['status'] as PaymentStatus | undefined;
  const status = to === undefined || (from !== undefined && !mayFollow(from, to)) ? from : to;
  return { ...current, ...incoming, ...(status ? { status } : {}) };
}

const same = (a: KnownReferences, b: KnownReferences): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

export class OrderReferences {
  readonly #store: OrderStore;
  readonly #listeners = new Set<(orderId: string, state: KnownReferences) => void>();
  readonly #publisher: Publisher;
  readonly #topic: string;
  readonly #writer = randomUUID();
  #tail: Consumer | undefined;

  private constructor(publisher: Publisher, topic: string, store: OrderStore) {
    this.#publisher = publisher;
    this.#topic = topic;
    this.#store = store;
  }

  /** Creates the compacted topic if needed, loads every order it holds, then follows it. */
  static async open(kafka: Kafka, admin: Admin, producer: Producer | Publisher, topic = ORDER_STATE_TOPIC, options: OrderReferencesOptions = {}): Promise<OrderReferences> {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const store = new OrderReferences(producer instanceof Publisher ? producer : new Publisher(producer), topic, OrderStore.open(options.dir));
    const ends = await admin.fetchTopicOffsets(topic);
    const remaining = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
    // Fetches are bounded like the command consumer's: what is fetched waits in the heap until applied.
    const reader = kafka.consumer({ groupId: `paystream-state-${String(process.pid)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, maxBytes: 1024 * 1024, maxBytesPerPartition: 512 * 1024 });
    store.#tail = reader;
    let loaded!: () => void;
    const caughtUp = new Promise<void>((r) => (loaded = r));
    if (remaining.size === 0) loaded();
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      autoCommit: false,
      eachBatch: ({ batch }: EachBatchPayload) => {
        for (const message of batch.messages) store.#follow(message.key, message.value, message.headers?.[WRITER_HEADER]);
        const last = batch.messages.at(-1);
        const end = remaining.get(batch.partition);
        if (last && end !== undefined && Number(last.offset) + 1 >= end) {
          remaining.delete(batch.partition);
          if (remaining.size === 0) loaded();
        }
        return Promise.resolve();
      },
    });
    await caughtUp;
    return store;
  }

  get(orderId: string): KnownReferences {
    return this.#store.get(orderId) ?? {};
  }

  /** The order a Midtrans reference (referenceNo, X-EXTERNAL-ID, partnerReferenceNo) belongs to. */
  orderOf(reference: string): string | undefined {
    return this.#store.get(reference) ? reference : this.#store.orderOf(reference);
  }

  get size(): number {
    return this.#store.size;
  }

  /** Every order and its state, a page at a time from the local index. */
  entries(): IterableIterator<[string, KnownReferences]> {
    return this.#store.entries();
  }

  /** The reconciler's schedule, kept beside the orders it names. */
  get schedule(): OrderSchedule {
    return this.#store.schedule;
  }

  /** Called whenever an order's state changes, from this worker or from another one. */
  onChange(listener: (orderId: string, state: KnownReferences) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The record that persists `references` merged into the order, or undefined when nothing changes.
   * The caller sends it (with whatever must be written alongside) and then calls `applied`.
   */
  change(orderId: string, references: KnownReferences): { readonly merged: KnownReferences; readonly record?: OutMessage } {
    const current = this.#store.get(orderId);
    const merged = mergeState(current, references);
    if (current && same(current, merged)) return { merged };
    return { merged, record: { topic: this.#topic, key: orderId, value: JSON.stringify(merged), headers: { [WRITER_HEADER]: this.#writer } } };
  }

  /** Records what was just acknowledged by Kafka, without waiting for it to come back through the topic. */
  applied(orderId: string, merged: KnownReferences): void {
    this.#apply(orderId, merged);
  }

  /** Merges new references and persists them (acks=all). */
  async remember(orderId: string, references: KnownReferences): Promise<KnownReferences> {
    const { merged, record } = this.change(orderId, references);
    if (!record) return merged;
    await this.#publisher.send([record]);
    this.applied(orderId, merged);
    return merged;
  }

  async close(): Promise<void> {
    await this.#tail?.disconnect();
    this.#tail = undefined;
    this.#store.close();
  }

  /**
   * A record read from the topic. This instance's own records were applied when Kafka acknowledged
   * them (`applied`); reading them back would only parse and merge them a second time.
   */
  #follow(key: Buffer | null, value: Buffer | null, writer: Buffer | string | (Buffer | string)[] | undefined): void {
    const orderId = key?.toString();
    if (!orderId) return;
    if (writer !== undefined && !Array.isArray(writer) && writer.toString() === this.#writer) return;
    if (value) this.#apply(orderId, JSON.parse(value.toString()) as KnownReferences);
    else this.#forget(orderId);
  }

  #apply(orderId: string, incoming: KnownReferences): void {
    const current = this.#store.get(orderId);
    const merged = mergeState(current, incoming);
    if (current && same(current, merged)) return;
    this.#store.put(orderId, merged, newReferences(orderId, current, merged));
    for (const l of this.#listeners) l(orderId, merged);
  }

  #forget(orderId: string): void {
    const current = this.#store.get(orderId);
    if (!current) return;
    this.#store.delete(
      orderId,
      LOOKUP_KEYS.flatMap((key) => (current[key] ? [current[key]] : [])),
    );
  }
}
