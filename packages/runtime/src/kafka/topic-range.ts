// Bounded reads of a topic for the operator commands (re-delivering results, reconciling a period,
// listing a DLQ): each partition from the first record at or after a time, or its start, up to the
// first record at or after another time, or the end it had when the reading began. The ends are
// taken once, before anything is read, so a reading never follows what is written while it runs —
// the copies a republish writes to the topic it reads included.
import { randomUUID } from 'node:crypto';
import type { Admin, Batch, Consumer, IHeaders, Kafka } from 'kafkajs';

/** The consumer groups of readings (fresh for each, never committing); the operator's ACLs grant the prefix. */
export const TOPIC_READER_GROUP_PREFIX = 'paystream-reader-';

export interface TopicRange {
  /** From the first record at or after this time (epoch ms); from each partition's start when absent. */
  readonly fromMs?: number;
  /** Up to, not including, the first record at or after this time (epoch ms); to the ends taken at the start when absent. */
  readonly toMs?: number;
  /** Only these partitions; every one when absent. */
  readonly partitions?: readonly number[];
  /** The prefix of the reading's consumer group (TOPIC_READER_GROUP_PREFIX when absent). */
  readonly groupPrefix?: string;
}

export interface RangeRecord {
  readonly partition: number;
  readonly offset: string;
  /** The record's Kafka timestamp, epoch ms as a string (as kafkajs gives it). */
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
}

/** The offsets read of one partition: from `start` up to, not including, `end`. */
export interface PartitionSpan {
  readonly partition: number;
  readonly start: number;
  readonly end: number;
}

type OffsetsAdmin = Pick<Admin, 'fetchTopicOffsets' | 'fetchTopicOffsetsByTimestamp'>;

async function offsetsAt(admin: OffsetsAdmin, topic: string, ms: number | undefined): Promise<Map<number, number> | undefined> {
  if (ms === undefined) return undefined;
  // A time after every record of a partition gives its current end (kafkajs), which the snapshot caps.
  return new Map((await admin.fetchTopicOffsetsByTimestamp(topic, ms)).map((p) => [p.partition, Number(p.offset)]));
}

/** The span of each chosen partition, in partition order; an empty one has `start === end`. */
export async function rangeSpans(admin: OffsetsAdmin, topic: string, range: TopicRange): Promise<PartitionSpan[]> {
  // The ends first: whatever is written after this is out of the range, whatever the times say.
  const ends = await admin.fetchTopicOffsets(topic);
  const [from, to] = [await offsetsAt(admin, topic, range.fromMs), await offsetsAt(admin, topic, range.toMs)];
  const wanted = range.partitions ? new Set(range.partitions) : undefined;
  return ends
    .filter((p) => !wanted || wanted.has(p.partition))
    .map((p) => {
      const start = Math.max(Number(p.low), from?.get(p.partition) ?? 0);
      const end = Math.min(Number(p.high), to?.get(p.partition) ?? Number.MAX_SAFE_INTEGER);
      return { partition: p.partition, start, end: Math.max(start, end) };
    })
    .sort((a, b) => a.partition - b.partition);
}

const recordOf = (partition: number, m: Batch['messages'][number]): RangeRecord => ({
  partition,
  offset: m.offset,
  timestamp: m.timestamp,
  key: m.key,
  value: m.value,
  headers: m.headers ?? {},
});

/**
 * Calls `onRecord` for every record of the range, in offset order within each partition (awaiting
 * it: a slow caller slows the reading), and resolves with the spans read once every one is done.
 */
export async function readTopicRange(
  kafka: Kafka,
  admin: OffsetsAdmin,
  topic: string,
  range: TopicRange,
  onRecord: (record: RangeRecord) => void | Promise<void>,
): Promise<PartitionSpan[]> {
  const spans = await rangeSpans(admin, topic, range);
  const pending = new Map(spans.filter((s) => s.end > s.start).map((s) => [s.partition, s]));
  if (pending.size === 0) return spans;
  const consumer = kafka.consumer({
    groupId: `${range.groupPrefix ?? TOPIC_READER_GROUP_PREFIX}${randomUUID()}`,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await readSpans(consumer, topic, pending, onRecord);
  } finally {
    await consumer.disconnect();
  }
  return spans;
}

function readSpans(
  consumer: Consumer,
  topic: string,
  pending: Map<number, PartitionSpan>,
  onRecord: (record: RangeRecord) => void | Promise<void>,
): Promise<void> {
  return new Promise<void>((done, fail) => {
    // The next offset each partition hands on: a fetch made before the seek, then the seek's own, overlap.
    const next = new Map([...pending.values()].map((s) => [s.partition, s.start]));
    let failed = false;
    const finish = (partition: number): void => {
      if (!pending.delete(partition)) return;
      consumer.pause([{ topic, partitions: [partition] }]);
      if (pending.size === 0) done();
    };
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const partition of payload.memberAssignment[topic] ?? []) {
        if (pending.has(partition)) consumer.seek({ topic, partition, offset: String(next.get(partition)) });
        else consumer.pause([{ topic, partitions: [partition] }]);
      }
    });
    // A failure kafkajs does not restart from would otherwise leave the reading waiting for ever.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) fail(payload.error);
    });
    consumer
      .run({
        autoCommit: false,
        eachBatch: async (payload) => {
          const { batch } = payload;
          const span = pending.get(batch.partition);
          if (!span || failed) return;
          for (const m of batch.messages) {
            const offset = Number(m.offset);
            if (offset < (next.get(batch.partition) ?? span.start)) continue;
            if (offset >= span.end) break;
            try {
              await onRecord(recordOf(batch.partition, m));
            } catch (err) {
              // The caller's failure ends the reading: kafkajs would otherwise hand the batch over again.
              failed = true;
              fail(err instanceof Error ? err : new Error('the record handler failed', { cause: err }));
              return;
            }
            next.set(batch.partition, offset + 1);
            await payload.heartbeat();
          }
          // Paystream writes no transactions, so the offsets of a partition hold a record each.
          if (Number(batch.lastOffset()) + 1 >= span.end) finish(batch.partition);
        },
      })
      .catch(fail);
  });
}
