// The order state against the real broker, with its local index: a restarted worker, and a second
// worker that takes partitions over, find every order — by order id and by each Midtrans reference —
// and the reconciler's schedule is rebuilt from it; records another worker writes are followed.
import { setTimeout as sleep } from 'node:timers/promises';
import type {} from '@paystream/kafka-broker/global-setup';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Publisher } from '../src/kafka/publisher.ts';
import { Reconciler } from '../src/reconcile/reconciler.ts';
import { OrderReferences } from '../src/state/order-references.ts';
import type { OrderState } from '../src/state/order-state.ts';
import { connectStateKafka, releaseStateKafka } from './state-kafka.ts';

let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let publisher: Publisher;
const topics: string[] = [];
const ORDERS = 5_000;

beforeAll(async () => {
  ({ kafka, admin, producer, publisher } = await connectStateKafka(inject('kafkaBrokers'), 'runtime-order-state'));
});
afterAll(async () => {
  await releaseStateKafka({ admin, producer }, topics);
});

const charge = (i: number): OrderState => ({
  v: 2,
  method: 'gopay',
  chargeCommandId: `c-${String(i)}`,
  amount: 150_000,
  partition: i % 6,
  status: 'action_required',
  references: { referenceNo: `ref-${String(i)}`, partnerReferenceNo: `order-${String(i)}` },
  commands: {},
});

/** What the dispatcher does for each result: the state record produced with acks=all, then applied. */
async function chargeAll(orders: OrderReferences, count: number): Promise<void> {
  for (let from = 0; from < count; from += 500) {
    const batch = Array.from({ length: Math.min(500, count - from) }, (_, k) => from + k);
    const changes = batch.map((i) => ({ id: `order-${String(i)}`, ...orders.change(`order-${String(i)}`, charge(i)) }));
    await publisher.send(changes.flatMap((c) => (c.record ? [c.record] : [])));
    for (const c of changes) orders.applied(c.id, c.merged);
  }
}

function expectEveryOrder(orders: OrderReferences, count: number): void {
  expect(orders.size).toBe(count);
  for (let i = 0; i < count; i++) {
    const id = `order-${String(i)}`;
    expect(orders.get(id)).toEqual(charge(i));
    expect(orders.orderOf(`ref-${String(i)}`)).toBe(id);
    expect(orders.orderOf(id)).toBe(id);
  }
}

describe('OrderReferences on the real broker', () => {
  it('a restarted worker finds every order by id and by reference, with its later status', async () => {
    const topic = uniqueTopic('orders-state');
    topics.push(topic);
    const first = await OrderReferences.open(kafka, admin, publisher, topic);
    await chargeAll(first, ORDERS);
    await first.remember('order-7', { status: 'succeeded' });
    await first.close();

    const restarted = await OrderReferences.open(kafka, admin, publisher, topic);
    expect(restarted.size).toBe(ORDERS);
    expect(restarted.get('order-7').status).toBe('succeeded');
    await restarted.remember('order-7', { status: 'action_required' });
    expect(restarted.get('order-7').status).toBe('succeeded');
    await restarted.remember('order-7', charge(7));
    const rest = await OrderReferences.open(kafka, admin, publisher, topic);
    expect(rest.get('order-7').status).toBe('succeeded');
    for (let i = 0; i < ORDERS; i++) if (i !== 7) expect(rest.get(`order-${String(i)}`)).toEqual(charge(i));
    for (let i = 0; i < ORDERS; i++) expect(rest.orderOf(`ref-${String(i)}`)).toBe(`order-${String(i)}`);
    await Promise.all([restarted.close(), rest.close()]);
  });

  it('a second worker sees every order the first wrote, follows its later changes, and schedules the ones of the partitions it takes over', async () => {
    const topic = uniqueTopic('orders-state');
    topics.push(topic);
    const a = await OrderReferences.open(kafka, admin, publisher, topic);
    await chargeAll(a, ORDERS);
    const b = await OrderReferences.open(kafka, admin, publisher, topic);
    expectEveryOrder(b, ORDERS);

    const changedInB: string[] = [];
    b.onChange((id) => changedInB.push(id));
    await a.remember('order-42', { status: 'succeeded' });
    for (let t = 0; t < 300 && b.get('order-42').status !== 'succeeded'; t++) await sleep(50);
    expect(b.get('order-42').status).toBe('succeeded');
    expect(changedInB).toEqual(['order-42']);

    // b takes partitions 1 and 4 over (a rebalance): its reconciler asks about exactly those orders.
    const asked = new Set<string>();
    const reconciler = new Reconciler({
      orders: b,
      plugins: new Map([['gopay', { method: 'gopay', details: { safeParse: () => ({ success: true, data: {} }) } } as never]]),
      updates: {
        inquire: (_p, command) => {
          asked.add(command.orderId);
          return Promise.resolve({ status: 'action_required', references: {} });
        },
        publish: () => Promise.resolve(true),
      },
      owned: () => [
        { method: 'gopay', partition: 1 },
        { method: 'gopay', partition: 4 },
      ],
      firstMs: 40,
      maxMs: 600_000,
      concurrency: 500,
    });
    reconciler.start();
    const expected = Array.from({ length: ORDERS }, (_, i) => i).filter((i) => i % 6 === 1 || i % 6 === 4);
    for (let t = 0; t < 600 && asked.size < expected.length; t++) await sleep(50);
    reconciler.stop();
    expect([...asked].sort()).toEqual(expected.map((i) => `order-${String(i)}`).sort());
    expect(reconciler.waiting).toBe(ORDERS - 1);
    await Promise.all([a.close(), b.close()]);
  });
});
