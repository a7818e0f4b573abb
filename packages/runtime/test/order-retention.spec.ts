// Retention on the real broker, with a test clock: ended orders of the owned command partitions leave
// the state once their retention is over — a tombstone on the topic naming when, the order deleted
// from every index that reads it and its id remembered as retired — while a waiting order never
// leaves, however old. A command for a retired order is refused with its own code, never taken for a
// new order and never sent to Midtrans; a retired id is forgotten after its memory, and an index idle
// longer than that is rebuilt.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {} from '@paystream/kafka-broker/global-setup';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopicsWithLeaders } from '../src/kafka/create-topics.ts';
import type { Publisher } from '../src/kafka/publisher.ts';
import { orderStateTopic } from '../src/kafka/topology.ts';
import { OrderReferences } from '../src/state/order-references.ts';
import type { OrderChange } from '../src/state/order-state.ts';
import { RetentionSweeper, type RetentionPolicy } from '../src/state/retention.ts';
import { RETIRED_AT_HEADER } from '../src/state/retired-orders.ts';
import { command, harness, onlyDlq, send } from './dispatch-fakes.ts';
import { connectStateKafka, releaseStateKafka } from './state-kafka.ts';

const DAY = 86_400_000;
const POLICY: RetentionPolicy = { retentionDays: 30, refundWindowDays: 365, retiredMemoryDays: 90, sweepIntervalMs: 60_000 };
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let publisher: Publisher;
const topics: string[] = [];
const folders: string[] = [];
const opened: OrderReferences[] = [];

beforeAll(async () => {
  ({ kafka, admin, producer, publisher } = await connectStateKafka(inject('kafkaBrokers'), 'runtime-order-retention'));
});
afterAll(async () => {
  for (const orders of opened) await orders.close();
  await releaseStateKafka({ admin, producer }, topics);
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

async function stateTopic(): Promise<string> {
  const topic = uniqueTopic('orders-retention');
  topics.push(topic);
  await createTopicsWithLeaders(admin, [orderStateTopic(topic)]);
  return topic;
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-retention-test-'));
  folders.push(dir);
  return join(dir, 'state');
}

async function open(topic: string, dir = folder(), retiredMemoryDays?: number): Promise<OrderReferences> {
  const orders = await OrderReferences.open(kafka, admin, publisher, topic, { dir, ...(retiredMemoryDays ? { retiredMemoryDays } : {}) });
  opened.push(orders);
  return orders;
}

async function close(orders: OrderReferences): Promise<void> {
  opened.splice(opened.indexOf(orders), 1);
  await orders.close();
}

/** Every record of the topic, read from its start up to its current end. */
async function readAll(topic: string): Promise<KafkaMessage[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  const left = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
  const messages: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: uniqueTopic('retention-read') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  if (left.size === 0) done();
  await consumer.run({
    eachMessage: ({ partition, message }) => {
      messages.push(message);
      if (Number(message.offset) + 1 >= (left.get(partition) ?? 0)) left.delete(partition);
      if (left.size === 0) done();
      return Promise.resolve();
    },
  });
  await all;
  await consumer.disconnect();
  return messages;
}

/** Waits until `test` holds, checking every 50 ms (the broker sets the pace, not a timer). */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await sleep(50);
}

const iso = (ms: number): string => new Date(ms).toISOString();
const order = (status: OrderChange['status'], statusAt: number | undefined, partition = 0): OrderChange => ({
  status,
  ...(statusAt === undefined ? {} : { statusAt: iso(statusAt) }),
  method: 'gopay',
  amount: 10_000,
  partition,
  chargeCommandId: `charge-${String(status)}`,
  references: { referenceNo: `ref-${String(status)}-${String(partition)}` },
});

describe('retention', () => {
  it('retires ended orders of owned partitions once their retention is over, and never a waiting one', async () => {
    const topic = await stateTopic();
    const orders = await open(topic);
    const follower = await open(topic);
    const t0 = Date.now();
    await orders.remember('o-failed', order('failed', t0));
    await orders.remember('o-refunded', order('refunded', t0));
    await orders.remember('o-upgraded', order('expired', undefined)); // a version 1 record: counted from when it was applied
    await orders.remember('o-succeeded', order('succeeded', t0));
    await orders.remember('o-pending', order('pending', t0 - 1_000 * DAY));
    await orders.remember('o-action', order('action_required', t0 - 1_000 * DAY));
    await orders.remember('o-elsewhere', order('failed', t0, 1)); // a partition another worker owns
    let now = t0;
    const retired: string[] = [];
    const sweeper = new RetentionSweeper({
      retired: orders.retired,
      policy: POLICY,
      owned: () => [{ method: 'gopay', partition: 0 }],
      now: () => now,
      onRetired: (e) => retired.push(`${e.orderId}:${e.status}`),
    });

    now = t0 + 29 * DAY;
    expect(await sweeper.sweep()).toBe(0);
    now = t0 + 31 * DAY;
    expect(await sweeper.sweep()).toBe(3);
    expect(retired.sort()).toEqual(['o-failed:failed', 'o-refunded:refunded', 'o-upgraded:expired']);
    for (const id of ['o-failed', 'o-refunded', 'o-upgraded']) {
      expect(orders.get(id).status).toBeUndefined();
      expect(orders.retired.at(id)?.getTime()).toBe(now);
    }
    expect(orders.orderOf('ref-failed-0')).toBeUndefined();

    now = t0 + 394 * DAY; // within the success' refund window and retention
    expect(await sweeper.sweep()).toBe(0);
    now = t0 + 396 * DAY;
    expect(await sweeper.sweep()).toBe(1);
    expect(orders.get('o-succeeded').status).toBeUndefined();
    now = t0 + 100_000 * DAY;
    await sweeper.sweep();
    expect(orders.get('o-pending').status).toBe('pending');
    expect(orders.get('o-action').status).toBe('action_required');
    expect(orders.get('o-elsewhere').status).toBe('failed');
    expect(orders.retired.at('o-pending')).toBeUndefined();
    // Retired ids are remembered for retiredMemoryDays only.
    expect(orders.retired.at('o-failed')).toBeUndefined();

    // A reader following the topic deletes them too, and remembers them as retired.
    // The tombstones lie in different partitions: wait for each, not for one of them.
    await until(() => follower.get('o-succeeded').status === undefined && follower.retired.at('o-failed') !== undefined);
    expect(follower.get('o-failed').status).toBeUndefined();
    expect(follower.retired.at('o-failed')?.getTime()).toBe(t0 + 31 * DAY);
    expect(follower.get('o-pending').status).toBe('pending');
    await close(follower);

    // Each tombstone names when its order left; a fresh index built from the topic ends up the same.
    const tombstones = (await readAll(topic)).filter((m) => m.value === null);
    expect(tombstones.map((m) => m.key?.toString()).sort()).toEqual(['o-failed', 'o-refunded', 'o-succeeded', 'o-upgraded']);
    const failed = tombstones.find((m) => m.key?.toString() === 'o-failed');
    expect(failed?.headers?.[RETIRED_AT_HEADER]?.toString()).toBe(iso(t0 + 31 * DAY));
    const fresh = await open(topic);
    expect(fresh.get('o-refunded').status).toBeUndefined();
    expect(fresh.retired.at('o-refunded')?.getTime()).toBe(t0 + 31 * DAY);
    expect(fresh.retired.at('o-succeeded')?.getTime()).toBe(t0 + 396 * DAY);
    expect(fresh.get('o-action').status).toBe('action_required');
    expect(fresh.get('o-elsewhere').status).toBe('failed');
    expect(fresh.size).toBe(orders.size);
    await close(fresh);
    await close(orders);
  });

  it('starts a success’ clock again when it is refunded, so a refund keeps it for a full retention', async () => {
    const topic = await stateTopic();
    const orders = await open(topic);
    const t0 = Date.now();
    await orders.remember('o-won', order('succeeded', t0 - 400 * DAY));
    await orders.remember('o-won', { status: 'refunded', statusAt: iso(t0) });
    let now = t0 + 29 * DAY;
    const sweeper = new RetentionSweeper({
      retired: orders.retired,
      policy: POLICY,
      owned: () => [{ method: 'gopay', partition: 0 }],
      now: () => now,
    });
    expect(await sweeper.sweep()).toBe(0);
    now = t0 + 31 * DAY;
    expect(await sweeper.sweep()).toBe(1);
    await close(orders);
  });

  it('refuses every command for a retired order with its code, never as a new order and never at Midtrans', async () => {
    const topic = await stateTopic();
    const orders = await open(topic);
    const t0 = Date.now() - 400 * DAY;
    await orders.remember('o-gone', order('succeeded', t0));
    const sweeper = new RetentionSweeper({ retired: orders.retired, policy: POLICY, owned: () => [{ method: 'gopay', partition: 0 }] });
    expect(await sweeper.sweep()).toBe(1);
    for (const type of ['payment.refund', 'payment.charge', 'payment.status', 'payment.cancel']) {
      const h = harness({ orders });
      await send(h, command({ orderId: 'o-gone', type }));
      const dlq = onlyDlq(h);
      expect(dlq.code).toBe('PS_ERR_COMMAND_ORDER_RETIRED');
      expect(dlq.message).toContain(orders.retired.at('o-gone')?.toISOString());
      expect(h.calls).toEqual([]);
      expect(orders.get('o-gone').status).toBeUndefined();
    }
    await close(orders);
  });

  it('deletes an order on a tombstone without a retirement time, remembering nothing', async () => {
    const topic = await stateTopic();
    const orders = await open(topic);
    const reader = await open(topic);
    await orders.remember('o-plain', order('failed', Date.now()));
    await until(() => reader.get('o-plain').status === 'failed');
    await producer.send({ topic, acks: -1, messages: [{ key: 'o-plain', value: null }] });
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: 'o-never-seen', value: null, headers: { [RETIRED_AT_HEADER]: iso(Date.now()) } }],
    });
    await until(() => reader.get('o-plain').status === undefined && reader.retired.at('o-never-seen') !== undefined);
    expect(reader.retired.at('o-plain')).toBeUndefined();
    await close(reader);
    await close(orders);
  });

  it('rebuilds an index that applied nothing for longer than retired ids are remembered', async () => {
    const topic = await stateTopic();
    const dir = folder();
    const memoryDays = 3_000 / DAY; // 3 s
    const first = await open(topic, dir, memoryDays);
    await first.remember('o-1', order('failed', Date.now()));
    await close(first);
    const warm = await open(topic, dir, memoryDays);
    expect(warm.rebuilt).toBeUndefined();
    await close(warm);
    await sleep(3_500);
    const stale = await open(topic, dir, memoryDays);
    expect(stale.rebuilt).toBe('stale');
    expect(stale.get('o-1').status).toBe('failed');
    await close(stale);
  });
});
