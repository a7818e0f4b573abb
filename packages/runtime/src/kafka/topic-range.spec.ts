// What a range reading covers, from the topic's offsets alone: the offsets Kafka finds for the two
// times, never past the ends taken first, never before what retention kept. The reading itself runs
// against the broker in the end-to-end re-delivery test.
import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { rangeSpans } from './topic-range.ts';

type OffsetsAdmin = Pick<Admin, 'fetchTopicOffsets' | 'fetchTopicOffsetsByTimestamp'>;

/** Three partitions: [low, high) offsets now, and the first offset at or after each asked time. */
function fakeAdmin(byTime: Record<number, number[]>): { admin: OffsetsAdmin; asked: string[] } {
  const ends = [
    { low: 0, high: 10 },
    { low: 4, high: 20 },
    { low: 0, high: 0 },
  ];
  const asked: string[] = [];
  const admin: OffsetsAdmin = {
    fetchTopicOffsets: (topic) => {
      asked.push(`ends ${topic}`);
      return Promise.resolve(ends.map((e, partition) => ({ partition, offset: String(e.high), high: String(e.high), low: String(e.low) })));
    },
    fetchTopicOffsetsByTimestamp: (topic, ms) => {
      asked.push(`time ${String(ms)}`);
      return Promise.resolve((byTime[ms ?? 0] ?? []).map((offset, partition) => ({ partition, offset: String(offset) })));
    },
  };
  return { admin, asked };
}

describe('rangeSpans', () => {
  it('covers each partition from what retention kept to the ends taken first, without times', async () => {
    const { admin, asked } = fakeAdmin({});
    expect(await rangeSpans(admin, 't', {})).toEqual([
      { partition: 0, start: 0, end: 10 },
      { partition: 1, start: 4, end: 20 },
      { partition: 2, start: 0, end: 0 },
    ]);
    expect(asked).toEqual(['ends t']);
  });

  it('takes the ends before the times, and caps a time later than they are', async () => {
    // 2000 is after every record: Kafka answers with the ends it has then, which grew since.
    const { admin, asked } = fakeAdmin({ 1000: [3, 2, 0], 2000: [12, 25, 3] });
    expect(await rangeSpans(admin, 't', { fromMs: 1000, toMs: 2000 })).toEqual([
      { partition: 0, start: 3, end: 10 },
      { partition: 1, start: 4, end: 20 },
      { partition: 2, start: 0, end: 0 },
    ]);
    expect(asked).toEqual(['ends t', 'time 1000', 'time 2000']);
  });

  it('reads only the chosen partitions, and nothing where the period holds no record', async () => {
    const { admin } = fakeAdmin({ 1000: [7, 9, 0], 2000: [7, 15, 0] });
    expect(await rangeSpans(admin, 't', { fromMs: 1000, toMs: 2000, partitions: [1] })).toEqual([{ partition: 1, start: 9, end: 15 }]);
    expect((await rangeSpans(admin, 't', { fromMs: 1000, toMs: 2000 }))[0]).toEqual({ partition: 0, start: 7, end: 7 });
  });
});
