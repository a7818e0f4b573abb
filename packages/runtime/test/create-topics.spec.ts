// Topics made by createTopicsWithLeaders can be used at once: their leaders answer for offsets, and
// a producer and a fresh reader see what is written right after it resolves.
import type {} from '@paystream/kafka-broker/global-setup';
import { testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopicsWithLeaders } from '../src/kafka/create-topics.ts';

let kafka: Kafka;
let admin: Admin;
const made: string[] = [];

beforeAll(async () => {
  kafka = testKafka(inject('kafkaBrokers'), 'runtime-create-topics');
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  if (made.length > 0) await admin.deleteTopics({ topics: made });
  await admin.disconnect();
});

describe('createTopicsWithLeaders', () => {
  it('resolves with usable topics, several at once, and says whether it created them', async () => {
    const topics = Array.from({ length: 4 }, () => uniqueTopic('created'));
    made.push(...topics);
    expect(
      await createTopicsWithLeaders(
        admin,
        topics.map((topic) => ({ topic, numPartitions: 3 })),
      ),
    ).toBe(true);
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.map((o) => o.partition).sort()).toEqual([0, 1, 2]);
    }
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: topics[0] ?? '', messages: [{ key: 'k', value: 'v', partition: 2 }] });
    await producer.disconnect();
    expect((await admin.fetchTopicOffsets(topics[0] ?? '')).find((o) => o.partition === 2)?.high).toBe('1');
    expect(await createTopicsWithLeaders(admin, [{ topic: topics[1] ?? '', numPartitions: 3 }])).toBe(false);
  });

  it('does nothing for no topics, and passes on what is not a passing state', async () => {
    expect(await createTopicsWithLeaders(admin, [])).toBe(false);
    await expect(createTopicsWithLeaders(admin, [{ topic: 'bad topic name!', numPartitions: 1 }])).rejects.toThrow();
  });
});
