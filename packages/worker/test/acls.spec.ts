// `paystream acls apply` on the secured broker (docs/kafka.md, "Least-privilege ACLs"), run as the
// super user through the configuration's kafka.tls and kafka.sasl; then each principal is held to
// its role: an upstream service writes only its methods' command topics, a downstream service reads
// results in its own groups and writes nothing, and the worker starts on existing topics without CREATE.
// The tests run in order: the first applies the ACLs the others rely on.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSecureBroker, secureAdminKafka, type SecureBroker } from '@paystream/kafka-broker/secure-testing';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import { PAYMENT_METHOD_PLUGIN } from '@paystream/plugin-sdk';
import { auditTopic, createTopicsWithLeaders, OrderReferences, readTopicRange, topology } from '@paystream/runtime';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aclEntry } from '../src/acls/apply.ts';
import type { AclBinding } from '../src/acls/plan.ts';
import { plannedAcls } from '../src/cli/commands/acls.ts';
import { applyReset, planReset } from '../src/cli/events/reset-group.ts';
import { main } from '../src/cli/main.ts';
import { loadWorkerConfig } from '../src/config/worker-config.ts';
import { ensureTopics, selectPlugins } from '../src/worker.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-acls-'));
const names = topology(`${uniqueTopic('acls')}.`);
const configFile = join(dir, 'config.json');
const plugins = selectPlugins(['gopay', 'qris']).getAll(PAYMENT_METHOD_PLUGIN);
let broker: SecureBroker;
let admin: Admin;
let ca: string;

async function paystream(...args: string[]): Promise<{ code: number; stdout: string }> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    // The flag outranks KAFKA_BROKERS, which the test run sets to its plaintext broker.
    return { code: await main([...args, '--config', configFile, '--brokers', broker.brokers.join(',')]), stdout: out.join('\n') };
  } finally {
    log.mockRestore();
  }
}

/** A client of one of the broker's SCRAM users (authorization errors are never retried). */
function as(user: string): Kafka {
  const u = broker.users[user];
  if (!u) throw new Error(`the secured broker has no user ${user}`);
  const password = readFileSync(u.passwordFile, 'utf8').trim();
  return new Kafka({
    clientId: `acls-${user}`,
    brokers: broker.brokers,
    ssl: { ca: [ca] },
    sasl: { mechanism: 'scram-sha-512', username: u.username, password },
    logLevel: logLevel.NOTHING,
  });
}

/** The Kafka error type a failed call ends with, through kafkajs' wrappers. */
async function refusal(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (err) {
    for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
      const type = (e as { type?: unknown }).type;
      if (typeof type === 'string') return type;
    }
    return String(err);
  }
  return 'accepted';
}

async function produce(kafka: Kafka, topic: string, idempotent: boolean): Promise<void> {
  const producer = kafka.producer({ idempotent, maxInFlightRequests: idempotent ? 1 : 5, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'order-1', value: JSON.stringify({ at: Date.now() }) }] });
  } finally {
    await producer.disconnect();
  }
}

beforeAll(async () => {
  broker = await ensureSecureBroker();
  ca = readFileSync(broker.caFile, 'utf8');
  admin = secureAdminKafka(broker).admin();
  await admin.connect();
  const adminPasswordFile = join(dir, 'admin.password');
  writeFileSync(adminPasswordFile, broker.admin.password, { mode: 0o600 });
  const kafka = {
    brokers: broker.brokers,
    topicPrefix: names.prefix,
    tls: { caFiles: [broker.caFile] },
    sasl: { mechanism: 'scram-sha-512', username: broker.admin.username, passwordFile: adminPasswordFile },
    acls: {
      worker: 'User:paystream-worker',
      upstream: [{ principal: 'User:checkout', methods: ['gopay'] }],
      downstream: [{ principal: 'User:ledger', groupPrefix: `${names.prefix}ledger.` }],
      operator: 'User:operator',
    },
  };
  writeFileSync(configFile, JSON.stringify({ kafka, plugins: ['gopay', 'qris'] }));
  const topics = [names.results, names.notifications, ...plugins.flatMap((p) => [names.commands(p.method), names.dlq(p.method)])];
  await createTopicsWithLeaders(admin, [
    ...topics.map((topic) => ({ topic, numPartitions: 2 })),
    { topic: names.orderState, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  ]);
}, 240_000);

afterAll(async () => {
  const { config } = loadWorkerConfig({ file: configFile, env: {} });
  // The readers' shared group prefixes stay: a run beside this one may rely on them.
  const ours = plannedAcls(config).filter((b) => b.name.startsWith(names.prefix));
  await admin.deleteAcls({ filters: ours.map(aclEntry) }).catch(() => undefined);
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(names.prefix));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.disconnect();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('paystream acls apply on the secured broker', () => {
  it('creates every planned ACL, and nothing the second time', async () => {
    const planned = await paystream('acls', 'plan', '--json');
    const count = (JSON.parse(planned.stdout) as { bindings: unknown[] }).bindings.length;
    expect(count).toBeGreaterThan(20);
    const first = await paystream('acls', 'apply', '--json');
    const { created, present } = JSON.parse(first.stdout) as Record<'created' | 'present', AclBinding[]>;
    expect([first.code, created.length + present.length]).toEqual([0, count]);
    // Only the state and DLQ readers' group prefixes are shared with other runs; nothing named for this one existed.
    expect(present.filter((b) => b.name.startsWith(names.prefix))).toEqual([]);
    const second = await paystream('acls', 'apply');
    expect(second.stdout).toMatch(new RegExp(`^created 0 ACL\\(s\\); ${String(count)} already present$`));
  });

  it("lets checkout publish gopay commands (idempotently) and refuses it another method's command topic", async () => {
    const checkout = as('checkout');
    expect(await refusal(() => produce(checkout, names.commands('gopay'), true))).toBe('accepted');
    expect(await refusal(() => produce(checkout, names.commands('qris'), true))).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('lets ledger read the results in its own group prefix, and write no command topic', async () => {
    const value = randomUUID();
    const producer = secureAdminKafka(broker).producer();
    await producer.connect();
    await producer.send({ topic: names.results, messages: [{ key: 'order-1', value }] });
    await producer.disconnect();
    const consumer = as('ledger').consumer({ groupId: `${names.prefix}ledger.${randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: names.results, fromBeginning: true });
      const seen = new Promise<string>((resolve) => {
        void consumer.run({
          eachMessage: ({ message }) => {
            resolve(message.value?.toString() ?? '');
            return Promise.resolve();
          },
        });
      });
      expect(await seen).toBe(value);
    } finally {
      await consumer.disconnect();
    }
    expect(await refusal(() => produce(as('ledger'), names.commands('gopay'), false))).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('starts the worker on existing topics without CREATE, and names the missing ones when it has none', async () => {
    const worker = as('paystream-worker');
    expect(await ensureTopics(worker, plugins, 2, names, 1)).toEqual([]);
    const workerAdmin = worker.admin();
    const producer = worker.producer({ idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([workerAdmin.connect(), producer.connect()]);
    try {
      const orders = await OrderReferences.open(worker, workerAdmin, producer, names.orderState, { dir: join(dir, 'state') });
      await orders.remember('order-1', { status: 'succeeded' });
      await orders.close();
    } finally {
      await Promise.all([workerAdmin.disconnect(), producer.disconnect()]);
    }
    const elsewhere = topology(`${uniqueTopic('acls-missing')}.`);
    await expect(ensureTopics(worker, plugins, 2, elsewhere, 1)).rejects.toMatchObject({
      code: 'PS_ERR_ACL_CREATE_DENIED',
      message: expect.stringContaining(`${elsewhere.results}, ${elsewhere.notifications}, ${elsewhere.commands('gopay')}`) as unknown,
    });
  });

  it('provisions with `topics create` as the super user every topic the worker needs, the compacted order state and the audit topic too', async () => {
    const fresh = topology(`${uniqueTopic('acls-provision')}.`);
    try {
      const made = await paystream('topics', 'create', '--json', '--topic-prefix', fresh.prefix);
      const { created } = JSON.parse(made.stdout) as { created: string[] };
      expect(made.code).toBe(0);
      expect(new Set(created)).toEqual(
        new Set([
          fresh.results,
          fresh.orderState,
          fresh.notifications,
          fresh.audit,
          ...plugins.flatMap((p) => [fresh.commands(p.method), fresh.dlq(p.method)]),
        ]),
      );
      const { resources } = await admin.describeConfigs({
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: fresh.orderState, configNames: ['cleanup.policy'] },
          { type: ConfigResourceTypes.TOPIC, name: fresh.audit, configNames: ['cleanup.policy', 'retention.ms'] },
        ],
        includeSynonyms: false,
      });
      const configOf = (topic: string) =>
        Object.fromEntries(resources.find((r) => r.resourceName === topic)?.configEntries.map((e) => [e.configName, e.configValue]) ?? []);
      expect(configOf(fresh.orderState)).toEqual({ 'cleanup.policy': 'compact' });
      // The audit topic keeps every record (no compaction) for 400 days, in one partition.
      expect(configOf(fresh.audit)).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': String(400 * 24 * 3_600_000) });
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [fresh.audit] });
      expect(found[0]?.partitions).toHaveLength(1);
      // Nothing is left to create: a worker started on them needs no CREATE.
      expect(await ensureTopics(secureAdminKafka(broker), plugins, 2, fresh, 1)).toEqual([]);
    } finally {
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(fresh.prefix));
      if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    }
  });

  it('lets the operator re-deliver results, audit it and move a downstream group, and no group of the worker', async () => {
    await createTopicsWithLeaders(admin, [auditTopic(names.audit, 1)]);
    const operator = as('operator');
    expect(await refusal(() => produce(operator, names.results, true))).toBe('accepted');
    expect(await refusal(() => produce(operator, names.audit, true))).toBe('accepted');
    expect(await refusal(() => produce(operator, names.orderState, true))).toBe('TOPIC_AUTHORIZATION_FAILED');
    // A downstream group that has read and committed, then stopped.
    const group = `${names.prefix}ledger.reset`;
    const consumer = as('ledger').consumer({ groupId: group });
    await consumer.connect();
    await consumer.subscribe({ topic: names.results, fromBeginning: true });
    await new Promise<void>((done) => {
      void consumer.run({
        eachMessage: () => {
          done();
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    const operatorAdmin = operator.admin();
    await operatorAdmin.connect();
    try {
      let read = 0;
      await readTopicRange(operator, operatorAdmin, names.results, {}, () => {
        read++;
      });
      expect(read).toBeGreaterThan(1);
      const plan = await planReset(operatorAdmin, group, names.results, 0);
      await applyReset(operatorAdmin, plan);
      const [after] = await operatorAdmin.fetchOffsets({ groupId: group, topics: [names.results] });
      expect(after?.partitions.map((p) => p.offset)).toEqual(plan.moves.map((m) => String(m.to)));
      // The broker answers FindCoordinator with GROUP_AUTHORIZATION_FAILED; kafkajs tries every broker and reports not finding one.
      expect(await refusal(() => planReset(operatorAdmin, names.group('gopay'), names.results, 0))).toMatch(
        /^(GROUP_AUTHORIZATION_FAILED|KafkaJSGroupCoordinatorNotFound: .*)$/,
      );
    } finally {
      await operatorAdmin.disconnect();
    }
  });
});
