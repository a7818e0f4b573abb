// Authenticated commands end to end on the secured broker: a worker with `commands.auth.required`
// refuses an unsigned charge, a refund signed by a key allowed only to charge and a charge signed by
// a revoked key — each in the DLQ with its code, and not one request reaching Midtrans — while a
// correctly signed charge is paid; the operator replays the unsigned one with `paystream dlq replay
// --signing-key` under its own allow-list entry; a key revoked while the worker runs is refused after SIGHUP.
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DlqHeaders, type ResultEvent } from '@paystream/contracts';
import { commandKeyId, containsCardNumber, createLogger, parseCoreConfig, signCommand, spkiFingerprint, TOKEN_PATH } from '@paystream/core';
import { ensureSecureBroker, secureAdminKafka, type SecureBroker } from '@paystream/kafka-broker/secure-testing';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { COMMAND_KEY_ID, COMMAND_SIGNATURE, topology } from '@paystream/runtime';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionWorkerTopics } from './provisioned-topics.ts';
import { applyAcls } from '../src/acls/apply.ts';
import { AclsConfig } from '../src/acls/config.ts';
import { planAcls } from '../src/acls/plan.ts';
import { main } from '../src/cli/main.ts';
import { coreConfigFromSimulator } from '../src/config/from-simulator.ts';
import { runWorker, type RunningWorker } from '../src/worker.ts';

interface Upstream {
  readonly privateKey: KeyObject;
  readonly keyId: string;
  readonly fingerprint: string;
  readonly file: string;
}

const dir = mkdtempSync(join(tmpdir(), 'paystream-command-auth-'));
const names = topology(`${uniqueTopic('cmdauth')}.`);
const results = new Map<string, ResultEvent>();
const dlq = new Map<string, { code: string; record: string }>();
const logs: string[] = [];
const revocationList = join(dir, 'revoked-command-keys.txt');
let broker: SecureBroker;
let sim: Simulator;
let admin: Admin;
let producer: Producer;
let readers: Consumer[] = [];
let worker: RunningWorker;

/** An upstream's Ed25519 pair, its public key written where the allow-list names it. */
function upstream(name: string): Upstream {
  for (;;) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyId = commandKeyId(publicKey);
    if (containsCardNumber(keyId)) continue;
    const file = join(dir, `${name}.pub.pem`);
    writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
    return { privateKey, keyId, fingerprint: spkiFingerprint(publicKey), file };
  }
}

const checkout = upstream('checkout');
const refunds = upstream('refunds');
const retired = upstream('retired');
const operator = upstream('operator');
const operatorKeyFile = join(dir, 'operator.key.pem');
writeFileSync(operatorKeyFile, operator.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
/** The operator's CLI configuration: the worker's core (for the DLQ payload key), Kafka as the super user. */
const operatorConfig = join(dir, 'operator.json');

function replace(file: string, content: string): void {
  writeFileSync(`${file}.new`, content);
  renameSync(`${file}.new`, file);
}

beforeAll(async () => {
  broker = await ensureSecureBroker();
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  const coreInput = coreConfigFromSimulator(join(dir, 'sim.json'), join(dir, 'keys'));
  const core = parseCoreConfig(coreInput);
  writeFileSync(join(dir, 'admin.password'), broker.admin.password, { mode: 0o600 });
  const sasl = { mechanism: 'scram-sha-512', username: broker.admin.username, passwordFile: join(dir, 'admin.password') };
  const cliKafka = { brokers: broker.brokers, topicPrefix: names.prefix, tls: { caFiles: [broker.caFile] }, sasl };
  writeFileSync(operatorConfig, JSON.stringify({ core: coreInput, kafka: cliKafka, plugins: ['gopay'] }), { mode: 0o600 });
  const kafka = secureAdminKafka(broker, 'command-auth-test');
  admin = kafka.admin();
  await admin.connect();
  await provisionWorkerTopics(admin, names, ['gopay']);
  await applyAcls(admin, planAcls({ acls: AclsConfig.parse({ worker: broker.clientCert.principal }), names, methods: ['gopay'] }));
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  readers = await Promise.all([
    follow(kafka.consumer({ groupId: `command-auth-results-${randomUUID()}` }), names.results, (_key, value) => {
      const event = JSON.parse(value) as ResultEvent;
      if (event.data.commandId) results.set(event.data.commandId, event);
    }),
    follow(kafka.consumer({ groupId: `command-auth-dlq-${randomUUID()}` }), names.dlq('gopay'), (key, value, code) =>
      dlq.set(key, { code, record: value }),
    ),
  ]);
  replace(revocationList, `sha256:${retired.fingerprint}  # retired upstream key\n`);
  const sink = new Writable({
    write: (chunk: Buffer, _e, done) => {
      logs.push(chunk.toString());
      done();
    },
  });
  worker = await runWorker({
    core,
    brokers: broker.mtlsBrokers,
    kafkaSecurity: {
      tls: { caFiles: [broker.caFile], clientCertFile: broker.clientCert.certFile, clientKeyFile: broker.clientCert.keyFile },
    },
    plugins: ['gopay'],
    partitions: 1,
    topicPrefix: names.prefix,
    logger: createLogger({ name: 'command-auth', level: 'info' }, sink),
    stateDir: mkdtempSync(join(dir, 'state-')),
    commandAuth: {
      required: true,
      upstreams: [
        {
          name: 'checkout',
          publicKeyFiles: [checkout.file, retired.file],
          methods: ['gopay'],
          types: ['payment.charge', 'payment.status'],
        },
        { name: 'refunds', publicKeyFiles: [refunds.file], methods: ['gopay'], types: ['payment.refund'] },
        { name: 'operator', publicKeyFiles: [operator.file], methods: ['gopay'], types: ['payment.charge'] },
      ],
      revocationListFile: revocationList,
    },
  });
  // expect.poll belongs to tests: the worker's readiness is awaited by hand here.
  for (const until = Date.now() + 60_000; worker.readiness().length > 0;) {
    if (Date.now() > until) throw new Error(`the worker did not become ready: ${worker.readiness().join('; ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 240_000);

afterAll(async () => {
  await worker.stop(5_000);
  for (const r of readers) await r.disconnect();
  await producer.disconnect();
  await admin
    .deleteTopics({ topics: [names.commands('gopay'), names.dlq('gopay'), names.results, names.orderState] })
    .catch(() => undefined);
  await admin.disconnect();
  await sim.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function follow(consumer: Consumer, topic: string, seen: (key: string, value: string, code: string) => void): Promise<Consumer> {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      seen(message.key?.toString() ?? '', message.value?.toString() ?? '', message.headers?.[DlqHeaders.code]?.toString() ?? '');
      return Promise.resolve();
    },
  });
  return consumer;
}

function command(type: string): { commandId: string; orderId: string; value: Buffer } {
  const body = {
    commandId: randomUUID(),
    type,
    method: 'gopay',
    orderId: `auth-${randomUUID().slice(0, 8)}`,
    amount: { value: 25_000, currency: 'IDR' },
    details: {},
    requestedAt: new Date().toISOString(),
  };
  return { commandId: body.commandId, orderId: body.orderId, value: Buffer.from(JSON.stringify(body)) };
}

/** Publishes the exact bytes, signed by `by` when given. */
async function publish(c: ReturnType<typeof command>, by?: Upstream): Promise<Record<string, string>> {
  const signed = by ? signCommand(c.value, by.privateKey, by.keyId) : undefined;
  const headers: Record<string, string> = signed ? { [COMMAND_KEY_ID]: signed.keyId, [COMMAND_SIGNATURE]: signed.signature } : {};
  await producer.send({ topic: names.commands('gopay'), acks: -1, messages: [{ key: c.orderId, value: c.value, headers }] });
  return headers;
}

/** Requests the worker made to Midtrans since `from`, access tokens aside (they carry no command). */
const commandRequests = (from: number) => sim.requests.slice(from).filter((r) => r.path !== TOKEN_PATH);

describe('authenticated commands on a secured cluster', () => {
  it('sends the unsigned, the not-allowed and the revoked-key commands to the DLQ with their codes and none of them to Midtrans', async () => {
    const before = sim.requests.length;
    const unsigned = command('payment.charge');
    const refundByCheckout = command('payment.refund');
    const byRetiredKey = command('payment.charge');
    await publish(unsigned);
    const refundHeaders = await publish(refundByCheckout, checkout);
    const retiredHeaders = await publish(byRetiredKey, retired);
    await expect.poll(() => dlq.size, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    expect(dlq.get(unsigned.orderId)?.code).toBe('PS_ERR_COMMAND_UNSIGNED');
    expect(dlq.get(refundByCheckout.orderId)?.code).toBe('PS_ERR_COMMAND_SIGNER_NOT_ALLOWED');
    expect(dlq.get(byRetiredKey.orderId)?.code).toBe('PS_ERR_COMMAND_SIGNING_KEY_REVOKED');
    const refused = JSON.parse(dlq.get(refundByCheckout.orderId)?.record ?? '{}') as { message: string };
    expect(refused.message).toBe(`upstream checkout (key ${checkout.keyId}) may not send payment.refund`);
    // The records name the key by its id; the signature itself is kept nowhere.
    for (const { record } of dlq.values())
      for (const signature of [refundHeaders[COMMAND_SIGNATURE], retiredHeaders[COMMAND_SIGNATURE]])
        expect(record).not.toContain(signature);
    expect(commandRequests(before)).toEqual([]);

    // The signed, authenticated refusal tells its upstream through a rejected event; the unauthenticated ones name no order.
    await expect.poll(() => results.get(refundByCheckout.commandId)?.type, { timeout: 30_000 }).toBe('paystream.command.rejected');
    const paid = command('payment.charge');
    await publish(paid, checkout);
    await expect.poll(() => results.get(paid.commandId)?.type, { timeout: 60_000, interval: 250 }).toMatch(/^paystream\.payment\./);
    expect(results.has(unsigned.commandId)).toBe(false);
    expect(results.has(byRetiredKey.commandId)).toBe(false);
    expect(commandRequests(before).length).toBeGreaterThan(0);
  }, 180_000);

  it('lets the operator replay the refused unsigned charge by signing it with its own key, and it is paid', async () => {
    const unsigned = [...dlq.entries()].find(([, d]) => d.code === 'PS_ERR_COMMAND_UNSIGNED');
    expect(unsigned).toBeDefined();
    const orderId = unsigned?.[0] ?? '';
    // The flag outranks KAFKA_BROKERS, which the test run sets to its plaintext broker.
    const replay = (...flags: string[]) =>
      main([
        'dlq',
        'replay',
        'gopay',
        '--code',
        'PS_ERR_COMMAND_UNSIGNED',
        ...flags,
        '--config',
        operatorConfig,
        '--brokers',
        broker.brokers.join(','),
      ]);
    expect(await replay('--signing-key', operatorKeyFile, '--signing-key-id', operator.keyId)).toBe(0);
    await expect
      .poll(() => [...results.values()].find((e) => e.data.orderId === orderId)?.type, { timeout: 60_000, interval: 250 })
      .toMatch(/^paystream\.payment\./);
  }, 120_000);

  it('refuses a key revoked while the worker runs once SIGHUP reloads the revocation list, and still takes the other keys', async () => {
    replace(revocationList, `sha256:${retired.fingerprint}\nsha256:${checkout.fingerprint}  # checkout key compromised\n`);
    process.kill(process.pid, 'SIGHUP');
    await expect.poll(() => logs.some((l) => l.includes('command keys reloaded')), { timeout: 30_000 }).toBe(true);
    const before = sim.requests.length;
    const afterRevocation = command('payment.charge');
    await publish(afterRevocation, checkout);
    await expect
      .poll(() => dlq.get(afterRevocation.orderId)?.code, { timeout: 60_000, interval: 250 })
      .toBe('PS_ERR_COMMAND_SIGNING_KEY_REVOKED');
    expect(commandRequests(before)).toEqual([]);
    // Unknown to the allow-list and tampered-with commands are refused too, each with its own code.
    const stranger = upstream('stranger');
    const unknownKey = command('payment.charge');
    await publish(unknownKey, stranger);
    const tampered = command('payment.refund');
    const signed = signCommand(tampered.value, refunds.privateKey, refunds.keyId);
    const changed = Buffer.from(tampered.value.toString().replace('25000', '95000'));
    await producer.send({
      topic: names.commands('gopay'),
      acks: -1,
      messages: [
        { key: tampered.orderId, value: changed, headers: { [COMMAND_KEY_ID]: signed.keyId, [COMMAND_SIGNATURE]: signed.signature } },
      ],
    });
    await expect
      .poll(() => dlq.get(unknownKey.orderId)?.code, { timeout: 60_000, interval: 250 })
      .toBe('PS_ERR_COMMAND_UNKNOWN_SIGNING_KEY');
    await expect.poll(() => dlq.get(tampered.orderId)?.code, { timeout: 60_000, interval: 250 }).toBe('PS_ERR_COMMAND_BAD_SIGNATURE');
    expect(commandRequests(before)).toEqual([]);
  }, 120_000);
});
