// Each order's Midtrans references, method, charge command and last status, kept in a compacted
// Kafka topic keyed by order id: the state survives restarts without a database of its own. Every
// worker reads the whole topic at start and then follows it, so an order charged by one worker is
// known to the others — their notification ingress, and whoever owns its partition after a rebalance.
// Records merge monotonically: references accumulate and the status only moves forward, so a late or
// concurrent record can never move an order back.
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { PaymentStatus } from '@paystream/contracts';
import type { KnownReferences } from '@paystream/plugin-sdk';
import { ORDER_STATE_TOPIC } from '../kafka/topology.ts';
import { Publisher, type OutMessage } from '../kafka/publisher.ts';
import { mayFollow } from './transitions.ts';

/** References under which Midtrans notifications may name an order instead of its order id. */
const LOOKUP_KEYS = ['referenceNo', 'externalId', 'partnerReferenceNo'] as const;

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
  readonly #known = new Map<string, KnownReferences>();
  readonly #byReference = new Map<string, string>();
  readonly #listeners = new Set<(orderId: string, state: KnownReferences) => void>();
  readonly #publisher: Publisher;
  readonly #topic: string;
  #tail: Consumer | undefined;

  private constructor(publisher: Publisher, topic: string) {
    this.#publisher = publisher;
    this.#topic = topic;
  }

  /** Creates the compacted topic if needed, loads every order it holds, then follows it. */
  static async open(kafka: Kafka, admin: Admin, producer: Producer | Publisher, topic = ORDER_STATE_TOPIC): Promise<OrderReferences> {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const store = new OrderReferences(producer instanceof Publisher ? producer : new Publisher(producer), topic);
    const ends = await admin.fetchTopicOffsets(topic);
    const remaining = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
    const reader = kafka.consumer({ groupId: `paystream-state-${String(process.pid)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}` });
    store.#tail = reader;
    let loaded!: () => void;
    const caughtUp = new Promise<void>((r) => (loaded = r));
    if (remaining.size === 0) loaded();
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      autoCommit: false,
      eachMessage: ({ partition, message }) => {
        const orderId = message.key?.toString();
        if (orderId) {
          if (message.value) store.#apply(orderId, JSON.parse(message.value.toString()) as KnownReferences);
          else store.#forget(orderId);
        }
        if (remaining.has(partition) && Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) {
          remaining.delete(partition);
          if (remaining.size === 0) loaded();
        }
        return Promise.resolve();
      },
    });
    await caughtUp;
    return store;
  }

  get(orderId: string): KnownReferences {
    return this.#known.get(orderId) ?? {};
  }

  /** The order a Midtrans reference (referenceNo, X-EXTERNAL-ID, partnerReferenceNo) belongs to. */
  orderOf(reference: string): string | undefined {
    return this.#known.has(reference) ? reference : this.#byReference.get(reference);
  }

  get size(): number {
    return this.#known.size;
  }

  /** Every order and its state, for the reconciler after a start or a rebalance. */
  entries(): IterableIterator<[string, KnownReferences]> {
    return this.#known.entries();
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
    const current = this.#known.get(orderId);
    const merged = mergeState(current, references);
    if (current && same(current, merged)) return { merged };
    return { merged, record: { topic: this.#topic, key: orderId, value: JSON.stringify(merged) } };
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
  }

  #apply(orderId: string, incoming: KnownReferences): void {
    const current = this.#known.get(orderId);
    const merged = mergeState(current, incoming);
    if (current && same(current, merged)) return;
    this.#known.set(orderId, merged);
    for (const key of LOOKUP_KEYS) {
      const value = merged[key];
      if (value && value !== orderId) this.#byReference.set(value, orderId);
    }
    for (const l of this.#listeners) l(orderId, merged);
  }

  #forget(orderId: string): void {
    const current = this.#known.get(orderId);
    if (!current) return;
    for (const key of LOOKUP_KEYS) {
      const value = current[key];
      if (value && this.#byReference.get(value) === orderId) this.#byReference.delete(value);
    }
    this.#known.delete(orderId);
  }
}
