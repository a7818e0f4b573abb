// A downstream service for the re-delivery test: reads the results in its own consumer group, checks
// every event as a consumer does (the contract, the signature with the published key alone, the
// CloudEvents SDK), and keeps each verified event by id — the first copy, exactly as it came.
import type { PublishedKey } from '@paystream/contracts';
import { eventProblems } from '@paystream/test-harness';
import type { Consumer, Kafka } from 'kafkajs';

export interface Received {
  readonly raw: string;
  readonly key: string;
  readonly partition: number;
  readonly offset: number;
}

export class Downstream {
  /** Verified events by id, first copy kept. */
  readonly events = new Map<string, Received>();
  readonly problems: string[] = [];
  /** Further copies of an event already kept. */
  copies = 0;
  readonly #consumer: Consumer;
  readonly #keys: readonly PublishedKey[];

  private constructor(consumer: Consumer, keys: readonly PublishedKey[]) {
    this.#consumer = consumer;
    this.#keys = keys;
  }

  /** Joined and reading: from the group's committed offsets, or from the start for a new group. */
  static async start(kafka: Kafka, topic: string, groupId: string, keys: readonly PublishedKey[]): Promise<Downstream> {
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const downstream = new Downstream(consumer, keys);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const joined = new Promise<void>((done) => consumer.on(consumer.events.GROUP_JOIN, () => done()));
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        downstream.#take(partition, Number(message.offset), message.key?.toString('utf8') ?? '', message.value?.toString('utf8') ?? '');
        return Promise.resolve();
      },
    });
    await joined;
    return downstream;
  }

  #take(partition: number, offset: number, key: string, raw: string): void {
    const { event, problems } = eventProblems(raw, this.#keys);
    for (const p of problems) this.problems.push(`${String(partition)}@${String(offset)}: ${p}`);
    if (!event || problems.length > 0) return;
    if (this.events.has(event.id)) this.copies++;
    else this.events.set(event.id, { raw, key, partition, offset });
  }

  /** The service loses its data: everything it kept is gone (its group's offsets stay where they are). */
  forget(): void {
    this.events.clear();
    this.copies = 0;
  }

  /** The ids of each partition's events in the order they arrived there. */
  orderByPartition(): Map<number, string[]> {
    const out = new Map<number, string[]>();
    const sorted = [...this.events.entries()].sort(([, a], [, b]) => a.partition - b.partition || a.offset - b.offset);
    for (const [id, r] of sorted) out.set(r.partition, [...(out.get(r.partition) ?? []), id]);
    return out;
  }

  stop(): Promise<void> {
    return this.#consumer.disconnect();
  }
}
