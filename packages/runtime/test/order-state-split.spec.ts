// A fleet splits the order state, on the real broker: each worker restores, follows and keeps only the
// state partitions it owns; one taken over is restored before it is ready and then equals the topic; one
// given away is dropped from the index after its grace period, and restored from its start if taken back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {} from '@paystream/kafka-broker/global-setup';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopicsWithLeaders } from '../src/kafka/create-topics.ts';
import { partitionOfKey } from '../src/kafka/partitioner.ts';
import { orderStateTopic } from '../src/kafka/topology.ts';
import { OrderReferences } from '../src/state/order-references.ts';
import type { OrderState } from '../src/state/order-state.ts';
import { connectStateKafka, releaseStateKafka, type StateKafka } from './state-kafka.ts';

const PARTITIONS = 4;
const ORDERS = 400;
/** How long a partition given away stays in an index: short, so the spec sees it dropped. */
const GRACE_MS = 300;
let k: StateKafka;
const topics: string[] = [];
const open: OrderReferences[] = [];
const folders: string[] = [];

beforeAll(async () => {
  k = await connectStateKafka(inject('kafkaBrokers'), 'runtime-order-state-split');
});
afterAll(async () => {
  for (const o of open) await o.close();
  await releaseStateKafka(k, topics);
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const state = (i: number): OrderState => ({
  v: 2,
  method: 'gopay',
  amount: 10_000 + i,
  status: i % 3 === 0 ? 'succeeded' : 'action_required',
  references: { referenceNo: `ref-${String(i)}` },
  commands: {},
});

async function filledTopic(): Promise<{ topic: string; ids: string[] }> {
  const topic = uniqueTopic('orders-state-split');
  topics.push(topic);
  await createTopicsWithLeaders(k.admin, [orderStateTopic(topic, undefined, undefined, PARTITIONS)]);
  const ids = Array.from({ length: ORDERS }, (_, i) => `split-${String(i)}`);
  await k.publisher.send(ids.map((id, i) => ({ topic, key: id, value: JSON.stringify(state(i)) })));
  return { topic, ids };
}

async function member(topic: string): Promise<OrderReferences> {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-split-test-'));
  folders.push(dir);
  const orders = await OrderReferences.open(k.kafka, k.admin, k.publisher, topic, {
    dir: join(dir, 'state'),
    partitioned: true,
    releaseGraceMs: GRACE_MS,
  });
  open.push(orders);
  return orders;
}

/** The state partitions of the orders an index holds. */
const heldPartitions = (orders: OrderReferences): Set<number> =>
  new Set([...orders.entries()].map(([id]) => partitionOfKey(id, PARTITIONS)));
const idsOf = (ids: readonly string[], partitions: readonly number[]): string[] =>
  ids.filter((id) => partitions.includes(partitionOfKey(id, PARTITIONS)));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(50);
  if (!check()) throw new Error(`never: ${what}`);
}

describe('a fleet splitting the order state', () => {
  it('restores, follows and keeps only the owned partitions; moves one over; drops what it gave away', async () => {
    const { topic, ids } = await filledTopic();
    const [a, b] = [await member(topic), await member(topic)];
    // Joined, but owning nothing yet: nothing restored.
    expect([a.size, b.size]).toEqual([0, 0]);
    expect(a.fleet.holdsAll).toBe(false);

    a.fleet.own([0, 1]);
    b.fleet.own([2, 3]);
    expect(a.fleet.ready(0)).toBeInstanceOf(Promise);
    expect(a.fleet.restoring).toBe(true);
    await Promise.all([a.fleet.restored(), b.fleet.restored()]);
    expect([a.fleet.ready(0), b.fleet.ready(3)]).toEqual([undefined, undefined]);
    expect(a.size).toBe(idsOf(ids, [0, 1]).length);
    expect(b.size).toBe(idsOf(ids, [2, 3]).length);
    expect(a.size + b.size).toBe(ORDERS);
    expect(heldPartitions(a)).toEqual(new Set([0, 1]));
    for (const id of idsOf(ids, [2, 3])) expect(b.get(id)).toMatchObject({ amount: 10_000 + Number(id.split('-')[1]) });
    expect(b.orderOf('ref-7')).toBe(idsOf(ids, [2, 3]).includes('split-7') ? 'split-7' : undefined);

    // Partition 1 moves from a to b: b is not ready for it until restored, then holds what the topic holds.
    const moved = idsOf(ids, [1]);
    a.fleet.own([0]);
    b.fleet.own([1, 2, 3]);
    const gate = b.fleet.ready(1);
    expect(gate).toBeInstanceOf(Promise);
    expect(b.fleet.ready(2)).toBeUndefined(); // the partitions it kept go on meanwhile
    await gate;
    for (const id of moved) expect(b.get(id).amount).toBe(10_000 + Number(id.split('-')[1]));
    // a keeps partition 1 through its grace period, then drops it: orders, references and checkpoint.
    await until(() => a.size === idsOf(ids, [0]).length, 'a drops partition 1');
    expect(heldPartitions(a)).toEqual(new Set([0]));
    expect(a.orderOf(`ref-${moved[0]?.split('-')[1] ?? ''}`)).toBeUndefined();
    expect(heldPartitions(b)).toEqual(new Set([1, 2, 3]));

    // Changes go on being followed by the owner alone.
    const later = moved[0] ?? '';
    await k.publisher.send([{ topic, key: later, value: JSON.stringify({ ...state(1), status: 'succeeded' }) }]);
    await until(() => b.get(later).status === 'succeeded', 'b follows its new partition');
    expect(a.get(later).status).toBeUndefined();

    // Taken back after it was dropped, partition 1 is restored from its start.
    b.fleet.own([2, 3]);
    a.fleet.own([0, 1]);
    await a.fleet.restored();
    expect(a.get(later).status).toBe('succeeded');
    expect(a.size).toBe(idsOf(ids, [0, 1]).length);
    await until(() => b.size === idsOf(ids, [2, 3]).length, 'b drops partition 1');
  });

  it('finds again the orders it wrote itself when it takes back a partition it dropped', async () => {
    const { topic, ids } = await filledTopic();
    const w = await member(topic);
    w.fleet.own([0, 1, 2, 3]);
    await w.fleet.restored();
    const mine = idsOf(ids, [2])[0] ?? '';
    await w.remember(mine, { status: 'refunded' });
    w.fleet.own([0, 1, 3]);
    await until(() => w.get(mine).status === undefined, 'partition 2 dropped');
    w.fleet.own([0, 1, 2, 3]);
    await w.fleet.restored();
    // Its own record is read like any other while the partition restores from its start.
    expect(w.get(mine).status).toBe('refunded');
    expect(w.size).toBe(ORDERS);
  });

  it('alone, restores every partition at open and holds them all', async () => {
    const { topic } = await filledTopic();
    const dir = mkdtempSync(join(tmpdir(), 'paystream-split-test-'));
    folders.push(dir);
    const alone = await OrderReferences.open(k.kafka, k.admin, k.publisher, topic, { dir: join(dir, 'state') });
    open.push(alone);
    expect(alone.size).toBe(ORDERS);
    expect(alone.fleet.owned).toBe('all');
    expect(alone.fleet.holdsAll).toBe(true);
    alone.fleet.own([0]); // ignored: a worker alone keeps everything
    expect(alone.fleet.owned).toBe('all');
  });
});
