// A worker started on an order-state topic holding records that are not JSON, fail the schema, or
// are tombstones of orders never seen: it starts and becomes ready, counts each skipped record by
// reason on /metrics, and logs where each one is, never what it holds. Real broker and simulator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, parseCoreConfig } from '@paystream/core';
import { ensureBroker, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { topology } from '@paystream/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreConfigFromSimulator } from '../src/config/from-simulator.ts';
import { runWorker, type RunningWorker } from '../src/worker.ts';
import { createTopicsWithLeaders } from '@paystream/runtime';

const dir = mkdtempSync(join(tmpdir(), 'paystream-state-topic-'));
const names = topology(`${uniqueTopic('statetopic')}.`);
const hidden = 'content-that-must-never-be-logged';
const lines: string[] = [];
let sim: Simulator;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  const { brokers } = await ensureBroker();
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  const kafka = testKafka(brokers, 'state-topic-test');
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [
    { topic: names.orderState, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  ]);
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({
    topic: names.orderState,
    acks: -1,
    messages: [
      { key: 'order-ok', value: JSON.stringify({ method: 'gopay', chargeCommandId: 'c-1', amount: '10000', status: 'pending' }) },
      { key: 'order-text', value: `not json ${hidden}` },
      { key: 'order-bad', value: JSON.stringify({ status: 'paid-by-me', note: hidden }) },
      { key: 'order-never-seen', value: null },
    ],
  });
  await producer.disconnect();
  const logTo = new Writable({
    write: (chunk: Buffer, _e, done) => {
      lines.push(chunk.toString());
      done();
    },
  });
  worker = await runWorker({
    core: parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), join(dir, 'keys'))),
    brokers,
    plugins: ['gopay'],
    partitions: 1,
    topicPrefix: names.prefix,
    logger: createLogger({ name: 'state-topic', level: 'warn' }, logTo),
    stateDir: join(dir, 'state'),
  });
}, 180_000);

afterAll(async () => {
  await worker?.stop(1_000);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a worker on a hostile order-state topic', () => {
  it('becomes ready and counts the skipped records by reason', async () => {
    const ops = worker?.operationsUrl ?? '';
    await expect.poll(async () => (await fetch(`${ops}/readyz`)).status, { timeout: 60_000, interval: 500 }).toBe(200);
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toContain('paystream_state_records_skipped_total{reason="not_json"} 1');
    expect(metrics).toContain('paystream_state_records_skipped_total{reason="schema"} 1');
    expect(metrics).toContain('paystream_state_records_skipped_total{reason="unknown_tombstone"} 1');
    expect(metrics).toContain('paystream_state_records_skipped_total{reason="oversize"} 0');
    expect(metrics).toContain('paystream_orders_known 1');
  });

  it('logs each skipped record by topic, partition, offset and reason, never its content', () => {
    const skipped = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'order-state record skipped');
    expect(skipped.map((l) => l['reason']).sort()).toEqual(['not_json', 'schema', 'unknown_tombstone']);
    for (const l of skipped)
      expect(l).toMatchObject({
        topic: names.orderState,
        partition: expect.any(Number) as unknown,
        offset: expect.stringMatching(/^\d+$/) as unknown,
      });
    expect(lines.join('')).not.toContain(hidden);
  });
});
