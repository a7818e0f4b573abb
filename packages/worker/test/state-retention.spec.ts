// Retention end to end: a `paystream worker` process with tiny retention settings (environment
// variables) takes a long-ended order out of the order state — a tombstone on the topic naming when —
// and keeps a waiting one however old; a refund for the retired order is then refused with its own
// code in the DLQ, never sent to Midtrans. Real broker, real simulator, the real CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DlqRecord } from '@paystream/contracts';
import { ensureBroker, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { createTopicsWithLeaders, orderStateTopic, RETIRED_AT_HEADER, topology } from '@paystream/runtime';
import { ConfigResourceTypes, type Admin, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignTombstoneRetention } from '../src/state-topic-config.ts';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'paystream-state-retention-'));
const names = topology(`${uniqueTopic('retention')}.`);
const HOUR = 3_600_000;
const ended = `retired-${randomUUID().slice(0, 8)}`;
const waiting = `waiting-${randomUUID().slice(0, 8)}`;
const state: KafkaMessage[] = [];
const dlq: DlqRecord[] = [];
let brokers: string[];
let sim: Simulator;
let admin: Admin;
let producer: Producer;
let readers: Consumer[] = [];

beforeAll(async () => {
  ({ brokers } = await ensureBroker());
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  const kafka = testKafka(brokers, 'state-retention-test');
  admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [
    ...[names.commands('gopay'), names.dlq('gopay'), names.results].map((topic) => ({ topic, numPartitions: 1 })),
    orderStateTopic(names.orderState),
  ]);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  // Both ended or last changed an hour ago; the worker's retention and refund window are seconds long.
  const order = (status: string) => ({
    v: 2,
    status,
    statusAt: new Date(Date.now() - HOUR).toISOString(),
    method: 'gopay',
    amount: 10_000,
    currency: 'IDR',
    partition: 0,
    chargeCommandId: randomUUID(),
    references: {},
    commands: {},
  });
  await producer.send({
    topic: names.orderState,
    acks: -1,
    messages: [
      { key: ended, value: JSON.stringify(order('succeeded')) },
      { key: waiting, value: JSON.stringify(order('pending')) },
    ],
  });
  for (const [topic, into] of [
    [names.orderState, (m: KafkaMessage) => state.push(m)],
    [names.dlq('gopay'), (m: KafkaMessage) => dlq.push(DlqRecord.parse(JSON.parse(m.value?.toString() ?? 'null')))],
  ] as const) {
    const reader = kafka.consumer({ groupId: uniqueTopic('state-retention-reader') });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: ({ message }) => {
        into(message);
        return Promise.resolve();
      },
    });
    readers.push(reader);
  }
}, 120_000);

afterAll(async () => {
  for (const reader of readers) await reader.disconnect();
  readers = [];
  await producer.disconnect();
  await admin
    .deleteTopics({ topics: [names.commands('gopay'), names.dlq('gopay'), names.results, names.orderState] })
    .catch(() => undefined);
  await admin.disconnect();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const freePort = (): Promise<number> =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

async function get(url: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(url);
    return { status: response.status, body: await response.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/** `paystream worker` for gopay on this spec's topics, retention settings from its environment. */
async function cliWorker(): Promise<{ child: ChildProcess; ops: string; exited: Promise<number | null> }> {
  const opsPort = await freePort();
  const args = ['--simulator', join(dir, 'sim.json'), '--brokers', brokers.join(','), '--topic-prefix', names.prefix];
  const child = spawn(
    'bash',
    [join(root, 'packages/worker/bin/paystream'), 'worker', ...args, '--plugins', 'gopay', '--ops-port', String(opsPort)],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        PAYSTREAM_STATE_DIR: join(dir, 'state'),
        PAYSTREAM_STATE_RETENTION_DAYS: '0.0001', // 8.64 s
        PAYSTREAM_STATE_REFUND_WINDOW_DAYS: '0.0001',
        PAYSTREAM_STATE_SWEEP_INTERVAL_MS: '200',
        PAYSTREAM_RECONCILE_FIRST_MS: '600000', // the waiting order is not inquired about meanwhile
        PAYSTREAM_LOG_LEVEL: 'warn',
      },
    },
  );
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, ops: `http://127.0.0.1:${String(opsPort)}`, exited };
}

describe('the state topic of an earlier release', () => {
  it('gets its tombstones kept as long as retired ids are remembered, its compaction kept', async () => {
    const topic = uniqueTopic('retention-existing');
    await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }]);
    try {
      const kafka = testKafka(brokers, 'state-retention-align');
      expect(await alignTombstoneRetention(kafka, topic, 90)).toBe(true);
      expect(await alignTombstoneRetention(kafka, topic, 90)).toBe(false);
      const { resources } = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy', 'delete.retention.ms'] }],
        includeSynonyms: false,
      });
      const config = Object.fromEntries(resources[0]?.configEntries.map((e) => [e.configName, e.configValue]) ?? []);
      expect(config).toEqual({ 'cleanup.policy': 'compact', 'delete.retention.ms': String(90 * 86_400_000) });
    } finally {
      await admin.deleteTopics({ topics: [topic] });
    }
  });
});

describe('retention in a running worker', () => {
  it('retires a long-ended order, keeps a waiting one, and refuses a refund for the retired order with its code', async () => {
    const worker = await cliWorker();
    try {
      await expect.poll(async () => (await get(`${worker.ops}/readyz`)).status, { timeout: 60_000, interval: 250 }).toBe(200);
      await expect
        .poll(async () => (await get(`${worker.ops}/metrics`)).body, { timeout: 30_000, interval: 250 })
        .toContain('paystream_state_orders_retired_total{status="succeeded"} 1');
      const tombstone = (): KafkaMessage | undefined => state.find((m) => m.value === null && m.key?.toString() === ended);
      await expect.poll(() => tombstone() !== undefined, { timeout: 30_000, interval: 100 }).toBe(true);
      const at = Date.parse(tombstone()?.headers?.[RETIRED_AT_HEADER]?.toString() ?? '');
      expect(Date.now() - at).toBeLessThan(HOUR);

      const refund = {
        commandId: randomUUID(),
        type: 'payment.refund',
        method: 'gopay',
        orderId: ended,
        amount: { value: 10_000, currency: 'IDR' },
        details: {},
        requestedAt: new Date().toISOString(),
      };
      await producer.send({ topic: names.commands('gopay'), acks: -1, messages: [{ key: ended, value: JSON.stringify(refund) }] });
      await expect.poll(() => dlq.length, { timeout: 30_000, interval: 100 }).toBe(1);
      expect(dlq[0]?.code).toBe('PS_ERR_COMMAND_ORDER_RETIRED');
      expect(dlq[0]?.message).toContain(new Date(at).toISOString());
      expect(sim.requests.filter((r) => r.path.includes('refund'))).toEqual([]);

      // The waiting order, as old as the retired one, has no tombstone.
      expect(state.filter((m) => m.value === null).map((m) => m.key?.toString())).toEqual([ended]);
    } finally {
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    }
  }, 85_000);
});
