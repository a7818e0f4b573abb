// A topic range read (readTopicRange) that stops after a number of records: a console request must
// never read without end, whatever a topic holds. The reading ends early by failing its own handler,
// which readTopicRange answers by disconnecting its consumer.
import type { Admin, Kafka } from 'kafkajs';
import { readTopicRange, TOPIC_READER_GROUP_PREFIX, type RangeRecord, type TopicRange } from '@paystream/runtime';

/** The most records one request reads of one topic. */
export const MAX_SCANNED = 200_000;

class Enough extends Error {}

export interface BoundedRead {
  readonly scanned: number;
  /** True when the read stopped at its bound, before the end of the range. */
  readonly truncated: boolean;
}

/** Reads the range, calling `onRecord` for each record until it returns false (enough) or `max` were read. */
export async function readBounded(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  range: TopicRange,
  onRecord: (record: RangeRecord) => boolean,
  max = MAX_SCANNED,
): Promise<BoundedRead> {
  let scanned = 0;
  try {
    await readTopicRange(kafka, admin, topic, { groupPrefix: TOPIC_READER_GROUP_PREFIX, ...range }, (r) => {
      if (scanned >= max) throw new Enough();
      scanned++;
      if (!onRecord(r)) throw new Enough();
    });
  } catch (err) {
    if (err instanceof Enough) return { scanned, truncated: true };
    throw err;
  }
  return { scanned, truncated: false };
}

/** The topics among `wanted` that exist: a missing DLQ or audit topic reads as empty. */
export async function existing(admin: Admin, wanted: readonly string[]): Promise<Set<string>> {
  const present = new Set(await admin.listTopics());
  return new Set(wanted.filter((t) => present.has(t)));
}

export const iso = (ms: number | string): string => new Date(Number(ms)).toISOString();
