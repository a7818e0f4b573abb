// The order-state index across restarts, on the real broker. A reader killed with SIGKILL while it
// applies a large state topic resumes from its checkpoint, and its index then equals a rebuild from the
// topic, order by order: no record lost, none applied twice. A second process is refused the index
// while the first lives, and takes it over once the first died. A warm restart — and a reader restarted
// after a crash — reads only the records after the checkpoint.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import type {} from '@paystream/kafka-broker/global-setup';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopicsWithLeaders } from '../src/kafka/create-topics.ts';
import type { Publisher } from '../src/kafka/publisher.ts';
import { orderStateTopic } from '../src/kafka/topology.ts';
import { OrderReferences } from '../src/state/order-references.ts';
import type { OrderState } from '../src/state/order-state.ts';
import { loadSqlite } from '../src/state/store-files.ts';
import { connectStateKafka, releaseStateKafka } from './state-kafka.ts';

const READER = join(import.meta.dirname, 'state-reader-process.ts');
const STEPS = ['pending', 'action_required', 'action_required', 'succeeded'] as const;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let publisher: Publisher;
const topics: string[] = [];
const folders: string[] = [];

beforeAll(async () => {
  ({ kafka, admin, producer, publisher } = await connectStateKafka(inject('kafkaBrokers'), 'runtime-order-state-checkpoint'));
});
afterAll(async () => {
  await releaseStateKafka({ admin, producer }, topics);
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

async function stateTopic(partitions: number): Promise<string> {
  const topic = uniqueTopic('orders-state-checkpoint');
  topics.push(topic);
  await createTopicsWithLeaders(admin, [{ ...orderStateTopic(topic), numPartitions: partitions }]);
  return topic;
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-checkpoint-test-'));
  folders.push(dir);
  return join(dir, 'state');
}

/** Step `k` of order `i`: the status moves forward and the `step` reference changes, so a record applied twice out of turn shows. */
const record = (i: number, k: number): OrderState => ({
  v: 2,
  method: 'gopay',
  amount: 150_000,
  partition: i % 6,
  status: STEPS[k] ?? 'succeeded',
  references: { referenceNo: `ref-${String(i)}`, step: String(k) },
  commands: {},
});

/** Writes step `k` of every order in [from, to), as another worker would (no writer header of the reader's). */
async function write(topic: string, from: number, to: number, k: number): Promise<void> {
  for (let i = from; i < to; i += 2_000) {
    const ids = Array.from({ length: Math.min(2_000, to - i) }, (_, n) => i + n);
    await producer.send({
      topic,
      acks: -1,
      messages: ids.map((id) => ({ key: `order-${String(id)}`, value: JSON.stringify(record(id, k)) })),
    });
  }
}

/** A reader process on `dir`; `ready` is its one line (or a rejection when it exits first). */
function startReader(topic: string, dir: string) {
  const child = spawn(process.execPath, [READER, inject('kafkaBrokers').join(','), topic, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as Record<string, unknown>));
    void exited.then(() => reject(new Error(`the reader exited: ${stderr}`)));
  });
  return { child, ready, exited };
}

/** The sum of an index's checkpoints over its partitions: how many records it applied (none compacted away yet). */
function applied(dir: string): number {
  let db: DatabaseSync | undefined;
  try {
    db = new (loadSqlite().DatabaseSync)(join(dir, 'orders.db'), { readOnly: true });
    return (db.prepare('SELECT coalesce(sum(next), 0) AS n FROM offsets').get() as { n: number }).n;
  } catch {
    return 0; // the file is not made yet
  } finally {
    db?.close();
  }
}

/** Every order of an index and its state, in order-id order. */
const everyOrder = (orders: OrderReferences): [string, OrderState][] => [...orders.entries()];

describe('the order-state index on the real broker', () => {
  it('a reader killed with SIGKILL mid-apply resumes from its checkpoint; a second process waits for the first to die', async () => {
    const topic = await stateTopic(6);
    const ORDERS = 12_000;
    for (let k = 0; k < STEPS.length; k++) await write(topic, 0, ORDERS, k);
    const total = ORDERS * STEPS.length;
    const dir = folder();

    const first = startReader(topic, dir);
    void first.ready.catch(() => undefined);
    while (applied(dir) < total / 8 && first.child.exitCode === null) await sleep(5);
    await expect(OrderReferences.open(kafka, admin, publisher, topic, { dir })).rejects.toMatchObject({
      code: 'PS_ERR_STATE_INDEX_LOCKED',
    });
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = applied(dir);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total);

    const second = startReader(topic, dir);
    expect(await second.ready).toEqual({ rebuilt: null, read: total - atKill, size: ORDERS });
    second.child.kill('SIGTERM');
    await second.exited;

    const resumed = await OrderReferences.open(kafka, admin, publisher, topic, { dir });
    const rebuilt = await OrderReferences.open(kafka, admin, publisher, topic);
    expect([resumed.rebuilt, resumed.recordsRead, rebuilt.rebuilt, rebuilt.recordsRead]).toEqual([undefined, 0, 'missing', total]);
    const expected = everyOrder(rebuilt);
    expect(expected).toHaveLength(ORDERS);
    expect(everyOrder(resumed)).toEqual(expected);
    for (const i of [0, 4_321, ORDERS - 1]) expect(resumed.get(`order-${String(i)}`)).toEqual(record(i, STEPS.length - 1));
    await Promise.all([resumed.close(), rebuilt.close()]);
  });

  it('a warm restart reads only what follows its checkpoints, and so does its reader restarted after a crash', async () => {
    const topic = await stateTopic(3);
    const dir = folder();
    const first = await OrderReferences.open(kafka, admin, publisher, topic, { dir });
    // What the dispatcher does: records this worker writes are applied at once, read back only to move the checkpoint on.
    for (let i = 0; i < 2_000; i += 500) {
      const changes = Array.from({ length: 500 }, (_, n) => ({
        id: `order-${String(i + n)}`,
        ...first.change(`order-${String(i + n)}`, record(i + n, 0)),
      }));
      await publisher.send(changes.flatMap((c) => (c.record ? [c.record] : [])));
      for (const c of changes) first.applied(c.id, c.merged);
    }
    await expect.poll(() => first.recordsRead, { timeout: 30_000 }).toBe(2_000);
    await first.close();

    await write(topic, 0, 250, 1);
    const warm = await OrderReferences.open(kafka, admin, publisher, topic, { dir });
    expect([warm.rebuilt, warm.recordsRead, warm.size]).toEqual([undefined, 250, 2_000]);
    expect(warm.get('order-7')).toEqual(record(7, 1));
    expect(warm.get('order-700')).toEqual(record(700, 0));

    // A listener failing as no defect should: the reader crashes (kafkajs does not restart it) and is run again after its backoff.
    let failed = false;
    warm.onChange((id) => {
      if (id !== 'order-1001' || failed) return;
      failed = true;
      throw new TypeError('a listener defect');
    });
    await write(topic, 1_000, 1_100, 1);
    await expect.poll(() => [failed, warm.following], { timeout: 30_000 }).toEqual([true, false]);
    await expect.poll(() => warm.get('order-1099').status, { timeout: 60_000, interval: 100 }).toBe('action_required');
    expect(warm.following).toBe(true);
    // Without the checkpoints the restarted reader would read all 2,350 records again; it reads at most the 100 once more.
    expect(warm.recordsRead - 250).toBeGreaterThanOrEqual(100);
    expect(warm.recordsRead - 250).toBeLessThanOrEqual(200);
    for (let i = 1_000; i < 1_100; i++) expect(warm.get(`order-${String(i)}`)).toEqual(record(i, 1));
    await warm.close();
  });
});
