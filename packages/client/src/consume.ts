// A downstream service's loop over the results topic: every event verified before it is handed on,
// its encrypted fields decrypted, a repeated event id handed on once, and each offset committed only
// after the handler resolved — a handler that throws sees the event again.
import type { ResultEvent } from '@paystream/contracts';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { decryptFields, verifyEvent, type EncryptionKey, type TrustedKey } from './events.ts';
import { RecentIds } from './recent-ids.ts';
import { topicNames } from './topics.ts';

export interface EventContext {
  readonly keyId: string;
  /** Every encrypted field the given keys open, by its path inside `data` (`customer.phone`). */
  readonly decrypted: Readonly<Record<string, unknown>>;
  readonly partition: number;
  readonly offset: string;
}

export interface ConsumeResultsOptions {
  /** A kafkajs client, configured with the brokers, TLS and SASL of the installation. */
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly trustedKeys: readonly TrustedKey[];
  readonly encryptionKeys?: readonly EncryptionKey[];
  readonly topicPrefix?: string;
  /** Start from the earliest event when the group has no committed offset (default true). */
  readonly fromBeginning?: boolean;
  /** How many recent event ids are remembered to drop a repeated event (default 100,000). */
  readonly dedupeWindow?: number;
  onEvent(event: ResultEvent, context: EventContext): Promise<void> | void;
  /** A record that fails verification: never handed on; skipped after this resolves. */
  onInvalid?(record: { readonly partition: number; readonly offset: string; readonly reason: string }): Promise<void> | void;
  /** A verified event of a newer contract (unknown type or field): skipped after this resolves. */
  onUnknown?(raw: Readonly<Record<string, unknown>>, context: Omit<EventContext, 'decrypted'>): Promise<void> | void;
}

export interface ResultsConsumer {
  stop(): Promise<void>;
}

async function handle(opts: ConsumeResultsOptions, seen: RecentIds, partition: number, message: KafkaMessage): Promise<void> {
  const where = { partition, offset: message.offset };
  const verdict = verifyEvent(message.value ?? '', opts.trustedKeys);
  if (!verdict.valid) {
    await opts.onInvalid?.({ ...where, reason: verdict.reason });
    return;
  }
  if (!verdict.known) {
    await opts.onUnknown?.(verdict.raw, { ...where, keyId: verdict.keyId });
    return;
  }
  const { event } = verdict;
  if (seen.has(event.id)) return;
  const { values } = decryptFields(event, opts.encryptionKeys ?? []);
  await opts.onEvent(event, { ...where, keyId: verdict.keyId, decrypted: values });
  seen.add(event.id);
}

/** Starts consuming; resolves once the consumer has joined its group. */
export async function consumeResults(opts: ConsumeResultsOptions): Promise<ResultsConsumer> {
  const topic = topicNames(opts.topicPrefix).results;
  const consumer: Consumer = opts.kafka.consumer({ groupId: opts.groupId, allowAutoTopicCreation: false });
  const seen = new RecentIds(opts.dedupeWindow ?? 100_000);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: opts.fromBeginning ?? true });
    const joined = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        await handle(opts, seen, partition, message);
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
    await joined;
  } catch (err) {
    await consumer.disconnect();
    throw err;
  }
  return { stop: () => consumer.disconnect() };
}
