// The order-state topic read as untrusted input, on the real broker: records that are not JSON, fail
// the schema, are of a version newer than the runtime reads, are oversize, have a key that is not
// UTF-8 or an order id, and tombstones of orders never seen are skipped and reported by reason — at
// start-up and while following — and start-up completes with every valid order around them.
import type {} from '@paystream/kafka-broker/global-setup';
import { testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Publisher } from '../src/kafka/publisher.ts';
import { OrderReferences, type SkippedStateRecord } from '../src/state/order-references.ts';
import { createTopicsWithLeaders } from '../src/kafka/create-topics.ts';

let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const topics: string[] = [];

beforeAll(async () => {
  kafka = testKafka(inject('kafkaBrokers'), 'runtime-order-state-hostile');
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
afterAll(async () => {
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await producer.disconnect();
  await admin.disconnect();
});

const valid = (status: string) =>
  JSON.stringify({ method: 'gopay', chargeCommandId: 'c-1', amount: '150000', partition: '0', referenceNo: 'ref-1', status });

async function write(topic: string, records: { key: string | Buffer; value: string | Buffer | null }[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: records.map((r) => ({ ...r, partition: 0 })) });
}

const count = (skipped: readonly SkippedStateRecord[]) =>
  Object.fromEntries(Object.entries(Object.groupBy(skipped, (s) => s.reason)).map(([k, v]) => [k, v.length]));

describe('OrderReferences reading a hostile order-state topic', () => {
  it('skips and reports every bad record by reason, at start-up and while following, and keeps every valid order', async () => {
    const topic = uniqueTopic('orders-state-hostile');
    topics.push(topic);
    await createTopicsWithLeaders(admin, [{ topic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }]);
    const secret = 'shh-this-must-not-be-logged';
    await write(topic, [
      { key: 'order-1', value: valid('action_required') },
      { key: 'order-2', value: `not json ${secret}` },
      { key: 'order-3', value: JSON.stringify({ status: 'hacked', note: secret }) },
      { key: 'order-4', value: null },
      { key: 'order-5', value: '[1,2,3]' },
      { key: 'order-6', value: JSON.stringify({ status: 'pending', padding: 'x'.repeat(20_000) }) },
      { key: Buffer.from([0xff, 0xfe, 0x41]), value: valid('pending') },
      { key: 'not an order id!', value: valid('pending') },
      { key: 'order-7', value: Buffer.from([0x7b, 0xff, 0x7d]) },
      { key: 'order-8', value: JSON.stringify({ status: 'pending', __proto__x: 'x' }) },
      { key: 'order-12', value: JSON.stringify({ v: 3, status: 'pending', references: {}, commands: {} }) },
      { key: 'order-1', value: valid('succeeded') },
    ]);

    const skipped: SkippedStateRecord[] = [];
    const orders = await OrderReferences.open(kafka, admin, new Publisher(producer), topic, { onSkip: (s) => skipped.push(s) });
    try {
      // Version 1 records, upgraded: the runtime's fields typed, the reference among the references.
      expect(orders.get('order-1')).toMatchObject({
        v: 2,
        status: 'succeeded',
        amount: 150_000,
        partition: 0,
        references: { referenceNo: 'ref-1' },
      });
      expect(orders.orderOf('ref-1')).toBe('order-1');
      expect(orders.size).toBe(1);
      expect(count(skipped)).toEqual({ not_json: 2, schema: 3, unknown_tombstone: 1, oversize: 1, key: 2, future_version: 1 });
      expect(skipped.every((s) => s.partition === 0 && /^\d+$/.test(s.offset))).toBe(true);
      expect(JSON.stringify(skipped)).not.toContain(secret);
      expect(orders.following).toBe(true);

      const changed = new Promise<string>((done) => orders.onChange((id) => done(id)));
      await write(topic, [
        { key: 'order-9', value: '\u001b[31m not json' },
        { key: 'order-10', value: null },
        { key: 'order-1', value: null },
        { key: 'order-11', value: valid('pending') },
      ]);
      expect(await changed).toBe('order-11');
      expect(count(skipped)).toEqual({ not_json: 3, schema: 3, unknown_tombstone: 2, oversize: 1, key: 2, future_version: 1 });
      expect(orders.get('order-1')).toEqual({ v: 2, references: {}, commands: {} });
      expect(orders.orderOf('ref-1')).toBe('order-11');
    } finally {
      await orders.close();
    }
  });

  it('starts on a topic holding nothing but bad records', async () => {
    const topic = uniqueTopic('orders-state-bad-only');
    topics.push(topic);
    await createTopicsWithLeaders(admin, [{ topic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }]);
    await write(topic, [
      { key: 'a', value: 'not json' },
      { key: 'b', value: null },
    ]);
    const skipped: SkippedStateRecord[] = [];
    const orders = await OrderReferences.open(kafka, admin, new Publisher(producer), topic, { onSkip: (s) => skipped.push(s) });
    expect(orders.size).toBe(0);
    expect(skipped.map((s) => s.reason)).toEqual(['not_json', 'unknown_tombstone']);
    await orders.close();
  });
});
