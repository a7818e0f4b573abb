// What an operator sees when the secured cluster (infra/kafka) refuses a worker that already runs: the
// consumer kafkajs stopped for good is reported in /readyz with the setting to fix, restarted with a
// backoff (at once on SIGHUP), and consumes again from its committed offsets once admitted; nothing
// reaches the DLQ. Also: one operations address from the wait to the stop, and a SIGTERM during the
// wait ends `paystream worker` with exit 0. Real broker, real simulator.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResultEvent } from '@paystream/contracts';
import { ensureSecureBroker, secureAdminKafka, type SecureBroker } from '@paystream/kafka-broker/secure-testing';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { topology } from '@paystream/runtime';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type Consumer,
  type Producer,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionWorkerTopics } from './provisioned-topics.ts';
import { applyAcls } from '../src/acls/apply.ts';
import { AclsConfig } from '../src/acls/config.ts';
import { planAcls } from '../src/acls/plan.ts';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'paystream-kafka-unready-running-'));
const names = topology(`${uniqueTopic('unready-running')}.`);
const results = new Map<string, ResultEvent>();
let broker: SecureBroker;
let sim: Simulator;
let admin: Admin;
let producer: Producer;
let reader: Consumer;

beforeAll(async () => {
  broker = await ensureSecureBroker();
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  const kafka = secureAdminKafka(broker, 'kafka-unready-running-test');
  admin = kafka.admin();
  await admin.connect();
  await provisionWorkerTopics(admin, names, ['gopay']);
  const acls = AclsConfig.parse({ worker: 'User:paystream-worker' });
  await applyAcls(admin, planAcls({ acls, names, methods: ['gopay'] }));
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  reader = kafka.consumer({ groupId: `kafka-unready-running-test-${randomUUID()}` });
  await reader.connect();
  await reader.subscribe({ topic: names.results, fromBeginning: true });
  await reader.run({
    eachMessage: ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as ResultEvent;
      if (event.data.commandId) results.set(event.data.commandId, event);
      return Promise.resolve();
    },
  });
}, 240_000);

afterAll(async () => {
  await reader.disconnect();
  await producer.disconnect();
  await admin
    .deleteTopics({ topics: [names.commands('gopay'), names.dlq('gopay'), names.results, names.orderState] })
    .catch(() => undefined);
  await admin.disconnect();
  await sim.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Writes a secret file the way an operator replaces one: a new owner-only file renamed over the old. */
function writeSecret(path: string, value: string): void {
  writeFileSync(`${path}.new`, value, { mode: 0o600 });
  chmodSync(`${path}.new`, 0o600);
  renameSync(`${path}.new`, path);
}

async function readyz(url: string): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

interface CliWorker {
  readonly child: ChildProcess;
  output(): string;
  /** The exit code, once the process ended. */
  readonly exited: Promise<number | null>;
}

/** `paystream worker` for gopay on this spec's topics, logging in as paystream-worker with the password file, on a free operations port. */
function cliWorker(passwordFile: string): CliWorker {
  const args = [
    '--simulator',
    join(dir, 'sim.json'),
    '--brokers',
    broker.brokers.join(','),
    '--topic-prefix',
    names.prefix,
    '--plugins',
    'gopay',
  ];
  const login = ['--kafka-ca-files', broker.caFile, '--kafka-sasl-mechanism', 'scram-sha-512', '--kafka-sasl-username', 'paystream-worker'];
  const child = spawn(
    'bash',
    [
      join(root, 'packages/worker/bin/paystream'),
      'worker',
      ...args,
      '--ops-port',
      '0',
      '--kafka-tls',
      ...login,
      '--kafka-sasl-password-file',
      passwordFile,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PAYSTREAM_STATE_DIR: mkdtempSync(join(dir, 'state-')) } },
  );
  let text = '';
  child.stdout.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr.on('data', (c: Buffer) => (text += c.toString()));
  return { child, output: () => text, exited: new Promise((done) => child.on('exit', (code) => done(code))) };
}

/** The operations URL the waiting worker logged with its refusal. */
async function waitingUrl(w: CliWorker): Promise<string> {
  await expect.poll(() => /"readyz":"(http:\/\/[\d.:]+)\/readyz"/.exec(w.output())?.[1], { timeout: 45_000, interval: 100 }).toBeDefined();
  return /"readyz":"(http:\/\/[\d.:]+)\/readyz"/.exec(w.output())?.[1] ?? '';
}

async function dlqRecords(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(names.dlq('gopay'));
  return offsets.reduce((n, p) => n + Number(p.high), 0);
}

/** The worker's READ on its gopay consumer group, which the test takes away to make the running consumer crash. */
const groupRead = {
  resourceType: AclResourceTypes.GROUP,
  resourceName: names.group('gopay'),
  resourcePatternType: ResourcePatternTypes.LITERAL,
  principal: 'User:paystream-worker',
  host: '*',
  operation: AclOperationTypes.READ,
  permissionType: AclPermissionTypes.ALLOW,
};

const command = (orderId: string, commandId: string) =>
  JSON.stringify({
    commandId,
    type: 'payment.charge',
    method: 'gopay',
    orderId,
    amount: { value: 25_000, currency: 'IDR' },
    details: {},
    requestedAt: new Date().toISOString(),
  });

describe('the running worker that Kafka refuses', () => {
  it('keeps one operations address; reports a consumer refused after the start, restarts it, and consumes again once fixed', async () => {
    const right = readFileSync(broker.users['paystream-worker']?.passwordFile ?? '', 'utf8').trim();
    const wrong = `wrong-password-${randomUUID()}`;
    const passwordFile = join(dir, 'scram.password');
    writeSecret(passwordFile, wrong);
    const worker = cliWorker(passwordFile);
    try {
      // Waiting at start on operations.port 0: the address of the wait is the started worker's.
      const url = await waitingUrl(worker);
      expect((await readyz(url)).body).toContain('kafka.sasl.passwordFile');
      writeSecret(passwordFile, right);
      worker.child.kill('SIGHUP');
      await expect.poll(async () => (await readyz(url)).status, { timeout: 60_000, interval: 250 }).toBe(200);
      expect(worker.output()).toContain(`health and metrics at ${url}`);

      // The password changes while the worker runs; its connections stay logged in until the gopay
      // consumer loses its group ACL, crashes for good in kafkajs, and must log in again.
      writeSecret(passwordFile, wrong);
      await admin.deleteAcls({ filters: [groupRead] });
      await expect
        .poll(async () => (await readyz(url)).body, { timeout: 45_000, interval: 250 })
        .toMatch(
          /kafka: the gopay consumer stopped: PS_ERR_KAFKA_REFUSED: .*\(kafka\.sasl\.passwordFile\): the brokers refused the SCRAM-SHA-512 login of user paystream-worker/,
        );
      expect((await readyz(url)).status).toBe(503);
      const commandId = randomUUID();
      const orderId = `running-${commandId.slice(0, 8)}`;
      await producer.send({ topic: names.commands('gopay'), acks: -1, messages: [{ key: orderId, value: command(orderId, commandId) }] });

      await admin.createAcls({ acl: [groupRead] });
      writeSecret(passwordFile, right);
      worker.child.kill('SIGHUP');
      await expect.poll(async () => (await readyz(url)).status, { timeout: 60_000, interval: 250 }).toBe(200);
      await expect.poll(() => results.get(commandId)?.type, { timeout: 60_000, interval: 250 }).toMatch(/^paystream\.payment\./);
      expect(await dlqRecords()).toBe(0);
    } finally {
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      await admin.createAcls({ acl: [groupRead] });
    }
    expect(worker.output()).not.toContain(wrong);
    expect(worker.output()).not.toContain(right);
  }, 90_000);

  it('exits 0 on SIGTERM while it waits for Kafka to admit it, its waiting endpoint closed', async () => {
    const passwordFile = join(dir, 'sigterm.password');
    writeSecret(passwordFile, `wrong-password-${randomUUID()}`);
    const worker = cliWorker(passwordFile);
    const url = await waitingUrl(worker);
    expect((await readyz(url)).status).toBe(503);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('paystream worker stopped (SIGTERM) while waiting for Kafka to admit it');
    expect(await readyz(url)).toEqual({ status: 0, body: '' });
  }, 60_000);
});
