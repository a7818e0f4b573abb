// `events republish`: the recorded result events of an order or a period, read from the results
// topic and written to it again byte for byte — key, value and headers as they were, to the
// partition they were on, in their order there — so each copy has the event's id and signature and
// downstream deduplication holds. Only valid signed events are written again: a record that is not
// one (no JSON, not the contract, no signature by the worker's keys) is counted and left alone.
import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { ResultEvent, verifyEvent, type PublishedKey } from '@paystream/contracts';
import { keyHashPartitioner, partitionOfKey, readTopicRange, type PartitionSpan, type RangeRecord } from '@paystream/runtime';

export interface RepublishChoice {
  readonly orderId?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly method?: string;
}

/** What a reading found so far; kept by the caller, so that a failure still says how much was written. */
export interface RepublishProgress {
  read: number;
  chosen: number;
  /** Chosen events whose id was chosen earlier in the same run (an earlier re-delivery's copies): written once. */
  duplicates: number;
  invalid: number;
  republished: number;
  spans: readonly PartitionSpan[];
}

export const newProgress = (): RepublishProgress => ({ read: 0, chosen: 0, duplicates: 0, invalid: 0, republished: 0, spans: [] });

export type Judged = { readonly verdict: 'chosen'; readonly eventId: string } | { readonly verdict: 'other' | 'invalid' };

/** Records per produce request: each one waits for every in-sync replica. */
const BATCH = 500;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function json(value: Buffer | null): Record<string, unknown> | undefined {
  if (value === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(utf8.decode(value));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `chosen`: a valid signed event the choice covers; `other`: another order's or method's; `invalid`: not a valid signed event. */
export function judge(record: Pick<RangeRecord, 'key' | 'value'>, choice: RepublishChoice, keys: readonly PublishedKey[]): Judged {
  // An order's partition holds other orders' events too: those are not looked at.
  if (choice.orderId !== undefined && record.key?.toString('utf8') !== choice.orderId) return { verdict: 'other' };
  const value = json(record.value);
  if (!value) return { verdict: 'invalid' };
  const event = ResultEvent.safeParse(value);
  if (!event.success || !verifyEvent(value, keys).valid) return { verdict: 'invalid' };
  if (choice.method !== undefined && event.data.data.method !== choice.method) return { verdict: 'other' };
  return { verdict: 'chosen', eventId: event.data.id };
}

async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  return topics[0]?.partitions.length ?? 0;
}

// The record as read: a new timestamp is the only difference (the time of the re-delivery).
const copyOf = (r: RangeRecord): Message => ({ partition: r.partition, key: r.key, value: r.value, headers: r.headers });

/**
 * Reads the chosen span of `topic` (the order's partition only, for an order) up to the ends it has
 * now and, unless `dryRun`, writes each chosen record again as it goes. `progress` is updated throughout.
 */
export async function republish(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  choice: RepublishChoice,
  keys: readonly PublishedKey[],
  opts: { readonly dryRun: boolean; readonly progress: RepublishProgress },
): Promise<RepublishProgress> {
  const { progress } = opts;
  const partitions = choice.orderId === undefined ? undefined : [partitionOfKey(choice.orderId, await partitionCount(admin, topic))];
  let producer: Producer | undefined;
  if (!opts.dryRun) {
    // The worker's own partitioner, though every copy names its partition: one producer, one ordering.
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: keyHashPartitioner,
    });
    await producer.connect();
  }
  let batch: RangeRecord[] = [];
  // Downstream deduplicates by id anyway; a second copy in one re-delivery would only be noise.
  const ids = new Set<string>();
  const flush = async (): Promise<void> => {
    if (!producer || batch.length === 0) return;
    const sending = batch;
    batch = [];
    await producer.send({ topic, acks: -1, messages: sending.map(copyOf) });
    progress.republished += sending.length;
  };
  try {
    const range = {
      ...(choice.fromMs !== undefined ? { fromMs: choice.fromMs } : {}),
      ...(choice.toMs !== undefined ? { toMs: choice.toMs } : {}),
      ...(partitions ? { partitions } : {}),
    };
    progress.spans = await readTopicRange(kafka, admin, topic, range, async (record) => {
      progress.read++;
      const judged = judge(record, choice, keys);
      if (judged.verdict === 'invalid') progress.invalid++;
      if (judged.verdict !== 'chosen') return;
      if (ids.has(judged.eventId)) {
        progress.duplicates++;
        return;
      }
      ids.add(judged.eventId);
      progress.chosen++;
      batch.push(record);
      if (batch.length >= BATCH) await flush();
    });
    await flush();
    return progress;
  } finally {
    await producer?.disconnect();
  }
}
