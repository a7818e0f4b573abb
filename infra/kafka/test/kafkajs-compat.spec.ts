// kafkajs 2.2.4 against the real Kafka 4.x broker: idempotent produce, consumer groups, transactions, admin.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { createTopics, testKafka, uniqueTopic } from '../src/testing.ts';

let kafka: Kafka;
let admin: Admin;
const created: string[] = [];

beforeAll(async () => {
  kafka = testKafka(inject('kafkaBrokers'));
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  if (created.length > 0) await admin.deleteTopics({ topics: created });
  await admin.disconnect();
});

async function topic(prefix: string, partitions: number): Promise<string> {
  const name = uniqueTopic(prefix);
  await createTopics(admin, [name], partitions);
  created.push(name);
  return name;
}

describe('kafkajs against the real broker', () => {
  it('delivers 1,000 keyed messages through an idempotent producer and a consumer group, in order per key', async () => {
    const name = await topic('order-per-key', 3);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const keys = Array.from({ length: 20 }, (_, i) => `order-${i}`);
    const messages = Array.from({ length: 1000 }, (_, i) => ({
      key: keys[i % keys.length]!,
      value: JSON.stringify({ seq: Math.floor(i / keys.length) }),
    }));
    for (let i = 0; i < messages.length; i += 100) {
      await producer.send({ topic: name, acks: -1, messages: messages.slice(i, i + 100) });
    }
    await producer.disconnect();

    const seen = new Map<string, number[]>();
    const consumer = kafka.consumer({ groupId: uniqueTopic('group') });
    await consumer.connect();
    await consumer.subscribe({ topic: name, fromBeginning: true });
    let count = 0;
    await new Promise<void>((done, fail) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const key = message.key!.toString();
            const { seq } = JSON.parse(message.value!.toString()) as { seq: number };
            seen.set(key, [...(seen.get(key) ?? []), seq]);
            if (++count === messages.length) done();
            return Promise.resolve();
          },
        })
        .catch(fail);
    });
    await consumer.disconnect();

    expect(count).toBe(1000);
    expect(seen.size).toBe(keys.length);
    for (const seqs of seen.values()) expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('commits one transaction with sendOffsets and aborts another: read_committed consumers see only the first', async () => {
    const input = await topic('tx-in', 1);
    const output = await topic('tx-out', 1);
    const groupId = uniqueTopic('tx-group');
    const producer = kafka.producer({ transactionalId: uniqueTopic('tx'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();

    const committed = await producer.transaction();
    await committed.send({ topic: output, messages: [{ key: 'k', value: 'committed' }] });
    await committed.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '1' }] }] });
    await committed.commit();

    const aborted = await producer.transaction();
    await aborted.send({ topic: output, messages: [{ key: 'k', value: 'aborted' }] });
    await aborted.abort();
    await producer.disconnect();

    const offsets = await admin.fetchOffsets({ groupId, topics: [input] });
    expect(offsets[0]?.partitions[0]?.offset).toBe('1');

    const consumer = kafka.consumer({ groupId: uniqueTopic('reader'), readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: output, fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((done, fail) => {
      consumer
        .run({
          eachMessage: ({ message }) => {
            values.push(message.value!.toString());
            done();
            return Promise.resolve();
          },
        })
        .catch(fail);
    });
    // Give an aborted record (if it were visible) the chance to arrive behind the committed one.
    await new Promise((r) => setTimeout(r, 1500));
    await consumer.disconnect();
    expect(values).toEqual(['committed']);
  });

  it('administers topics: create with partitions, describe, delete', async () => {
    const name = uniqueTopic('admin');
    await createTopics(admin, [name], 4);
    const meta = await admin.fetchTopicMetadata({ topics: [name] });
    expect(meta.topics[0]?.partitions).toHaveLength(4);
    await admin.deleteTopics({ topics: [name] });
    await expect.poll(async () => (await admin.listTopics()).includes(name), { timeout: 10_000 }).toBe(false);
  });
});
