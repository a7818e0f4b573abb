// What Paystream knows about each order's Midtrans references (referenceNo, externalId, …), so that
// later status, cancel and refund commands and inquiries address the right transaction. Kept in a
// compacted Kafka topic keyed by orderId — no database — and read back in full at start.
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { KnownReferences } from '@paystream/plugin-sdk';

import { ORDER_STATE_TOPIC } from '../kafka/topology.ts';

export class OrderReferences {
  readonly #known = new Map<string, KnownReferences>();
  /** referenceNo / X-EXTERNAL-ID / partnerReferenceNo → orderId, for notifications that name only those. */
  readonly #byReference = new Map<string, string>();
  readonly #producer: Producer;
  readonly #topic: string;

  private constructor(producer: Producer, topic: string) {
    this.#producer = producer;
    this.#topic = topic;
  }

  /** Creates the compacted topic if needed and loads every order it holds. */
  static async open(kafka: Kafka, admin: Admin, producer: Producer, topic = ORDER_STATE_TOPIC): Promise<OrderReferences> {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const store = new OrderReferences(producer, topic);
    const ends = await admin.fetchTopicOffsets(topic);
    const remaining = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
    if (remaining.size === 0) return store;
    const reader = kafka.consumer({ groupId: `paystream-state-loader-${String(process.pid)}-${String(Date.now())}` });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      reader
        .run({
          eachMessage: ({ partition, message }) => {
            const orderId = message.key?.toString();
            if (orderId) {
              if (message.value) store.#set(orderId, JSON.parse(message.value.toString()) as KnownReferences);
              else store.#known.delete(orderId);
            }
            if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
            if (remaining.size === 0) done();
            return Promise.resolve();
          },
        })
        .catch(fail);
    });
    await reader.disconnect();
    return store;
  }

  get(orderId: string): KnownReferences {
    return this.#known.get(orderId) ?? {};
  }

  /** The order a Midtrans reference (referenceNo, X-EXTERNAL-ID, partnerReferenceNo) belongs to. */
  orderOf(reference: string): string | undefined {
    return this.#known.has(reference) ? reference : this.#byReference.get(reference);
  }

  #set(orderId: string, refs: KnownReferences): void {
    this.#known.set(orderId, refs);
    for (const key of ['referenceNo', 'externalId', 'partnerReferenceNo']) {
      const value = refs[key];
      if (value) this.#byReference.set(value, orderId);
    }
  }

  get size(): number {
    return this.#known.size;
  }

  /** Merges new references and persists them (acks=all) before the caller publishes its result. */
  async remember(orderId: string, references: KnownReferences): Promise<KnownReferences> {
    const merged = { ...this.get(orderId), ...references };
    if (JSON.stringify(merged) === JSON.stringify(this.get(orderId))) return merged;
    await this.#producer.send({ topic: this.#topic, acks: -1, messages: [{ key: orderId, value: JSON.stringify(merged) }] });
    this.#set(orderId, merged);
    return merged;
  }
}
