// The worker against the secured broker (infra/kafka): SCRAM-SHA-512 over TLS as its own principal,
// holding only the ACLs the plan grants it, then mutual TLS as the same principal, each processing a
// charge end to end; and a wrong password, which keeps the client out with an authentication error
// that holds no secret. Real broker and simulator.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ResultEvent } from '@paystream/contracts';
import { createLogger, parseCoreConfig, type CoreConfig } from '@paystream/core';
import { ensureSecureBroker, secureAdminKafka, type SecureBroker } from '@paystream/kafka-broker/secure-testing';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { topology } from '@paystream/runtime';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionWorkerTopics } from './provisioned-topics.ts';
import { applyAcls } from '../src/acls/apply.ts';
import { AclsConfig } from '../src/acls/config.ts';
import { planAcls } from '../src/acls/plan.ts';
import { coreConfigFromSimulator } from '../src/config/from-simulator.ts';
import type { KafkaSecurityInput } from '../src/config/kafka-security.ts';
import { kafkaConnection } from '../src/kafka-connection.ts';
import { runWorker } from '../src/worker.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-kafka-secure-'));
const names = topology(`${uniqueTopic('secure')}.`);
const results = new Map<string, ResultEvent>();
const logs: string[] = [];
let broker: SecureBroker;
let sim: Simulator;
let core: Readonly<CoreConfig>;
let admin: Admin;
let producer: Producer;
let reader: Consumer;

beforeAll(async () => {
  broker = await ensureSecureBroker();
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  core = parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), join(dir, 'keys')));
  const kafka = secureAdminKafka(broker, 'kafka-secure-test');
  admin = kafka.admin();
  await admin.connect();
  // The topics exist before the worker starts: its principal may not create them.
  await provisionWorkerTopics(admin, names, ['gopay']);
  const acls = AclsConfig.parse({ worker: broker.clientCert.principal });
  await applyAcls(admin, planAcls({ acls, names, methods: ['gopay'] }));
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  reader = kafka.consumer({ groupId: `kafka-secure-test-${randomUUID()}` });
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

const logger = () =>
  createLogger(
    { name: 'kafka-secure', level: 'warn' },
    new Writable({
      write: (chunk: Buffer, _e, done) => {
        logs.push(chunk.toString());
        done();
      },
    }),
  );

/** Runs a worker connecting as `security` says, publishes one charge and waits for its result event. */
async function chargeThrough(brokers: string[], kafkaSecurity: KafkaSecurityInput): Promise<ResultEvent> {
  const worker = await runWorker({
    core,
    brokers,
    kafkaSecurity,
    plugins: ['gopay'],
    partitions: 1,
    topicPrefix: names.prefix,
    logger: logger(),
    stateDir: mkdtempSync(join(dir, 'state-')),
  });
  try {
    await expect.poll(() => worker.readiness(), { timeout: 60_000, interval: 250 }).toEqual([]);
    const command = {
      commandId: randomUUID(),
      type: 'payment.charge',
      method: 'gopay',
      orderId: `secure-${randomUUID().slice(0, 8)}`,
      amount: { value: 25_000, currency: 'IDR' },
      details: {},
      requestedAt: new Date().toISOString(),
    };
    await producer.send({ topic: names.commands('gopay'), acks: -1, messages: [{ key: command.orderId, value: JSON.stringify(command) }] });
    await expect.poll(() => results.has(command.commandId), { timeout: 60_000, interval: 250 }).toBe(true);
    return results.get(command.commandId) as ResultEvent;
  } finally {
    await worker.stop(5_000);
  }
}

describe('the worker on a secured cluster', () => {
  it('authenticates by SCRAM-SHA-512 over TLS as its own principal and processes a charge with only its ACLs', async () => {
    const user = broker.users['paystream-worker'];
    if (!user) throw new Error('the secured broker has no paystream-worker user');
    const event = await chargeThrough(broker.brokers, {
      tls: { caFiles: [broker.caFile] },
      sasl: { mechanism: 'scram-sha-512', username: user.username, passwordFile: user.passwordFile },
    });
    expect(event.type).not.toBe('paystream.command.rejected');
    expect(event.type).toMatch(/^paystream\.payment\./);
  }, 180_000);

  it('authenticates by mutual TLS with its client certificate', async () => {
    const event = await chargeThrough(broker.mtlsBrokers, {
      tls: { caFiles: [broker.caFile], clientCertFile: broker.clientCert.certFile, clientKeyFile: broker.clientCert.keyFile },
    });
    expect(event.type).toMatch(/^paystream\.payment\./);
  }, 180_000);

  it('stays out with a wrong password, every attempt, with an authentication error that holds no secret', async () => {
    const user = broker.users['paystream-worker'];
    if (!user) throw new Error('the secured broker has no paystream-worker user');
    const wrong = `wrong-password-${randomUUID()}`;
    const wrongFile = join(dir, 'wrong-password');
    writeFileSync(wrongFile, wrong);
    chmodSync(wrongFile, 0o600);
    const right = readFileSync(user.passwordFile, 'utf8').trim();
    const kafkaLogs: string[] = [];
    const kafka = new Kafka({
      ...kafkaConnection({
        clientId: 'kafka-secure-wrong',
        brokers: broker.brokers,
        security: {
          tls: { caFiles: [broker.caFile] },
          sasl: { mechanism: 'scram-sha-512', username: user.username, passwordFile: wrongFile },
        },
      }),
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => void kafkaLogs.push(JSON.stringify(entry)),
      retry: { retries: 1, initialRetryTime: 100 },
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const client = kafka.admin();
      const failure = await client.connect().then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      await client.disconnect();
      expect(failure?.name).toBe('KafkaJSSASLAuthenticationError');
      expect(failure?.message).toMatch(/SCRAM.*authentication failed/i);
      for (const text of [failure?.message ?? '', String(failure?.stack), ...kafkaLogs]) {
        expect(text).not.toContain(wrong);
        expect(text).not.toContain(right);
      }
    }
    expect(logs.join('')).not.toContain(right);
  }, 120_000);
});
