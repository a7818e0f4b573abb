// Commands as large as the broker takes (about 1 MB), between ordinary ones on one partition, through
// the real consumer and its fetch limits: each is refused with a DLQ record small enough to write,
// every other command is still handled, and every offset of the partition is committed.
import { randomUUID } from 'node:crypto';
import { dlqPayload, DLQ_MAX_PAYLOAD_BYTES } from '@paystream/contracts';
import type {} from '@paystream/kafka-broker/global-setup';
import { createTopics, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { KeyOrderedConsumer } from '../src/kafka/key-ordered-consumer.ts';
import { commandFields, dlqRecords, harness, TOPIC } from './dispatch-fakes.ts';

let kafka: Kafka;
let admin: Admin;
const topic = uniqueTopic(TOPIC);

beforeAll(async () => {
  kafka = testKafka(inject('kafkaBrokers'), 'runtime-oversized');
  admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [topic], 1);
});
afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
});

it('refuses each oversized command with a small DLQ record and commits every offset of the partition', async () => {
  const orders = Array.from({ length: 6 }, (_, i) => `big-${String(i)}-${randomUUID().slice(0, 8)}`);
  const big = (orderId: string): string => JSON.stringify(commandFields({ orderId, details: { note: 'x'.repeat(1_000_000 - 300) } }));
  const messages = orders.map((orderId, i) => ({
    key: orderId,
    value: i % 2 === 0 ? big(orderId) : JSON.stringify(commandFields({ orderId })),
  }));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (const m of messages) await producer.send({ topic, acks: -1, messages: [m] });
  await producer.disconnect();

  const h = harness({ deps: { commandTopic: () => topic } });
  const groupId = uniqueTopic('oversized');
  const consumer = new KeyOrderedConsumer({ kafka, groupId, topics: [topic], maxInFlight: 8, handle: (m) => h.d.handle(m) });
  void consumer.start();
  try {
    await expect.poll(() => h.outcomes.length, { timeout: 60_000 }).toBe(messages.length);
    const committed = async (): Promise<number> =>
      Number((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0]?.offset);
    await expect.poll(committed, { timeout: 30_000 }).toBe(messages.length);
  } finally {
    await consumer.stop(5_000);
  }
  expect(h.outcomes.map((o) => (o.kind === 'refused' ? o.code : o.kind))).toEqual([
    'PS_ERR_COMMAND_TOO_LARGE',
    'result',
    'PS_ERR_COMMAND_TOO_LARGE',
    'result',
    'PS_ERR_COMMAND_TOO_LARGE',
    'result',
  ]);
  for (const record of h.sent.filter((r) => r.topic.endsWith('.dlq')))
    expect(Buffer.byteLength(record.value ?? '')).toBeLessThan(100 * 1024);
  for (const record of dlqRecords(h.sent, topic)) {
    expect(record).toMatchObject({ payloadTruncated: true, payloadBytes: Buffer.byteLength(messages[0]?.value ?? '') });
    expect(record.payloadBytes).toBeGreaterThan(990_000);
    expect(Buffer.byteLength(dlqPayload(record, h.keys))).toBeLessThanOrEqual(DLQ_MAX_PAYLOAD_BYTES);
  }
});
