// A worker's local order-state index across restarts, on the real broker and simulator: the first start
// builds it from the topic, a restart resumes it from its checkpoints, a second worker on the same folder
// is refused while the first runs, and a corrupted file or a foreign index (another topic, another
// cluster id) is rebuilt — each time one log line and one count say why. Every other reason is proven
// on the index itself (packages/runtime/src/state/checkpoint.spec.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Writable } from 'node:stream';
import { createLogger, parseCoreConfig } from '@paystream/core';
import { ensureBroker, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { createTopicsWithLeaders, orderStateTopic, topology } from '@paystream/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreConfigFromSimulator } from '../src/config/from-simulator.ts';
import { runWorker, type RunningWorker } from '../src/worker.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-state-index-'));
const stateDir = join(dir, 'state');
const names = topology(`${uniqueTopic('stateindex')}.`);
const other = topology(`${uniqueTopic('stateindex-other')}.`);
const ORDERS = 40;
let brokers: string[];
let sim: Simulator;

beforeAll(async () => {
  ({ brokers } = await ensureBroker());
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  const kafka = testKafka(brokers, 'state-index-test');
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [orderStateTopic(names.orderState), orderStateTopic(other.orderState)]);
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const order = (i: number) => ({
    v: 2,
    method: 'gopay',
    amount: 10_000,
    status: 'succeeded',
    references: {},
    commands: {},
    partition: i % 3,
  });
  const messages = Array.from({ length: ORDERS }, (_, i) => ({ key: `order-${String(i)}`, value: JSON.stringify(order(i)) }));
  await producer.send({ topic: names.orderState, acks: -1, messages });
  await producer.send({ topic: other.orderState, acks: -1, messages: messages.slice(0, 5) });
  await producer.disconnect();
}, 120_000);

afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  readonly worker: RunningWorker;
  /** The start's one line about its index. */
  readonly index: Record<string, unknown> | undefined;
  readonly metrics: string;
}

async function start(prefix = names.prefix): Promise<Started> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write: (chunk: Buffer, _e, done) => done(void lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)),
  });
  const worker = await runWorker({
    core: parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), join(dir, 'keys'))),
    brokers,
    plugins: ['gopay'],
    partitions: 1,
    topicPrefix: prefix,
    stateDir,
    logger: createLogger({ name: 'state-index', level: 'info' }, sink),
  });
  const index = lines.find((l) => String(l['msg']).startsWith('order-state index'));
  const metrics = await (await fetch(`${worker.operationsUrl}/metrics`)).text();
  return { worker, index, metrics };
}

/** Changes the index as another release, topic or cluster would have left it. */
function tamper(sql: string): void {
  const db = new DatabaseSync(join(stateDir, 'orders.db'));
  db.exec(sql);
  db.close();
}

describe("a worker's local order-state index", () => {
  it('is built at the first start, resumed at the next, and refused to a second worker meanwhile', async () => {
    const first = await start();
    expect(first.index).toMatchObject({
      msg: 'order-state index rebuilt from the topic',
      reason: 'missing',
      dir: stateDir,
      replayed: ORDERS,
    });
    expect(first.index?.['level']).toBe(30);
    expect(first.metrics).toContain('paystream_state_index_rebuilds_total{reason="missing"} 1');
    expect(first.metrics).toContain('paystream_state_index_rebuilds_total{reason="corrupt"} 0');
    await expect(start()).rejects.toMatchObject({ code: 'PS_ERR_STATE_INDEX_LOCKED' });
    await first.worker.stop(1_000);

    const warm = await start();
    expect(warm.index).toMatchObject({ msg: 'order-state index resumed from its checkpoints', replayed: 0, orders: ORDERS });
    expect(warm.metrics).toContain('paystream_state_index_rebuilds_total{reason="missing"} 0');
    await warm.worker.stop(1_000);
  });

  it.each([
    [
      'a corrupted file',
      'corrupt',
      () => writeFileSync(join(stateDir, 'orders.db'), readFileSync(join(stateDir, 'orders.db')).fill(7, 0, 8_192)),
    ],
    ['an index of another cluster', 'cluster', () => tamper("UPDATE meta SET value = 'another-cluster' WHERE key = 'cluster'")],
  ] as const)('is rebuilt from %s, with the reason logged as a warning and counted', async (_what, reason, damage) => {
    damage();
    const started = await start();
    expect(started.index).toMatchObject({ msg: 'order-state index rebuilt from the topic', reason, replayed: ORDERS, orders: ORDERS });
    expect(started.index?.['level']).toBe(40);
    expect(started.metrics).toContain(`paystream_state_index_rebuilds_total{reason="${reason}"} 1`);
    await started.worker.stop(1_000);
  });

  it('is rebuilt when the same folder serves another topic prefix', async () => {
    const started = await start(other.prefix);
    expect(started.index).toMatchObject({ reason: 'topic', replayed: 5, orders: 5 });
    await started.worker.stop(1_000);
  });
});
