// The console's order directory: follows the order-state topic from its start for as long as the
// console runs (a consumer group of its own that never commits), feeding DirectoryIndex. `start`
// resolves once it has read up to the ends the topic had when it began, so a search right after
// finds every order then known. Records are read as the worker reads them (readStateRecord): one
// that does not fit the schema is counted and skipped.
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { codes, PaystreamError } from '@paystream/core';
import { readStateRecord, TOPIC_READER_GROUP_PREFIX } from '@paystream/runtime';
import { randomUUID } from 'node:crypto';
import { DirectoryIndex, type OrderSummary } from './directory-index.ts';

export interface OrderDirectoryOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** The order-state topic (`topology(prefix).orderState`). */
  readonly topic: string;
  /** Orders held at most (DirectoryIndex; DEFAULT_CAPACITY when absent). */
  readonly capacity?: number;
  /**
   * How long `start` waits to read up to the topic's ends (60 s): a partition whose last records
   * compaction removed has no record at its end, so the wait ends with the time instead.
   */
  readonly catchUpMs?: number;
}

export interface DirectoryStats {
  readonly orders: number;
  readonly capacity: number;
  /** Orders dropped to stay within capacity. */
  readonly dropped: number;
  /** State records skipped as not fitting the schema. */
  readonly skipped: number;
  /** False once the reading of the topic stopped for good: orders changed since are not seen. */
  readonly following: boolean;
}

export class OrderDirectory {
  readonly #index: DirectoryIndex;
  readonly #consumer: Consumer;
  #skipped = 0;
  /** False once the consumer stopped for good: the directory no longer follows the topic. */
  #following = true;

  private constructor(consumer: Consumer, capacity: number | undefined) {
    this.#consumer = consumer;
    this.#index = new DirectoryIndex(capacity);
  }

  static async start(o: OrderDirectoryOptions): Promise<OrderDirectory> {
    if (!(await o.admin.listTopics()).includes(o.topic))
      throw new PaystreamError(codes.PS_ERR_CONSOLE_STATE_TOPIC_MISSING, { topic: o.topic });
    const ends = await o.admin.fetchTopicOffsets(o.topic);
    const behind = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
    const consumer = o.kafka.consumer({ groupId: `${TOPIC_READER_GROUP_PREFIX}console-${randomUUID()}`, allowAutoTopicCreation: false });
    const directory = new OrderDirectory(consumer, o.capacity);
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: o.topic, fromBeginning: true });
      await new Promise<void>((caughtUp, fail) => {
        if (behind.size === 0) caughtUp();
        setTimeout(caughtUp, o.catchUpMs ?? 60_000).unref();
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (payload.restart) return;
          directory.#following = false;
          fail(payload.error);
        });
        consumer
          .run({
            autoCommit: false,
            eachMessage: ({ partition, message }) => {
              directory.#read(message.key, message.value, Number(message.timestamp));
              const end = behind.get(partition);
              if (end !== undefined && Number(message.offset) + 1 >= end) behind.delete(partition);
              if (behind.size === 0) caughtUp();
              return Promise.resolve();
            },
          })
          .catch(fail);
      });
    } catch (err) {
      await consumer.disconnect();
      throw err;
    }
    return directory;
  }

  /** The orders `text` names exactly: order id, command id or Midtrans reference (DirectoryIndex.find). */
  find(text: string): OrderSummary[] {
    return this.#index.find(text);
  }

  get(orderId: string): OrderSummary | undefined {
    return this.#index.get(orderId);
  }

  /** The identifiers the order is found by, besides its order id (its Midtrans references among them). */
  identifiersOf(orderId: string): readonly string[] {
    return this.#index.identifiersOf(orderId);
  }

  /** What the directory holds and has left out, for the answers that depend on it. */
  get stats(): DirectoryStats {
    const { size: orders, capacity, dropped } = this.#index;
    return { orders, capacity, dropped, skipped: this.#skipped, following: this.#following };
  }

  close(): Promise<void> {
    return this.#consumer.disconnect();
  }

  #read(key: Buffer | null, value: Buffer | null, atMs: number): void {
    const read = readStateRecord(key, value);
    if ('skip' in read) this.#skipped++;
    else this.#index.apply(read.orderId, read.state, atMs);
  }
}
