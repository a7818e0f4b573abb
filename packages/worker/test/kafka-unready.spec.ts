// What an operator sees when the secured cluster (infra/kafka) refuses the worker: `paystream worker`
// stays up, unready, with /readyz naming the setting and the kind of failure and never a secret; it
// consumes nothing, writes no DLQ record, and becomes ready once the file is fixed and SIGHUP sent.
// Also: plaintext towards a remote broker refuses to start, and an upstream principal writing a method
// it is not allowed gets a topic authorization error. Real broker, real OIDC issuer, real simulator.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { ResultEvent } from '@paystream/contracts';
import { createLogger, parseCoreConfig } from '@paystream/core';
import { ensureSecureBroker, secureAdminKafka, secureTestBrokerOptions, type SecureBroker } from '@paystream/kafka-broker/secure-testing';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { topology } from '@paystream/runtime';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionWorkerTopics } from './provisioned-topics.ts';
import { applyAcls } from '../src/acls/apply.ts';
import { AclsConfig } from '../src/acls/config.ts';
import { planAcls } from '../src/acls/plan.ts';
import { coreConfigFromSimulator } from '../src/config/from-simulator.ts';
import { runWorker } from '../src/worker.ts';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'paystream-kafka-unready-'));
const names = topology(`${uniqueTopic('unready')}.`);
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
  const kafka = secureAdminKafka(broker, 'kafka-unready-test');
  admin = kafka.admin();
  await admin.connect();
  await provisionWorkerTopics(admin, names, ['gopay', 'qris']);
  const acls = AclsConfig.parse({ worker: 'User:paystream-worker', upstream: [{ principal: 'User:checkout', methods: ['gopay'] }] });
  await applyAcls(admin, planAcls({ acls, names, methods: ['gopay', 'qris'] }));
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  reader = kafka.consumer({ groupId: `kafka-unready-test-${randomUUID()}` });
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
    .deleteTopics({ topics: [names.commands('gopay'), names.dlq('gopay'), names.results, names.commands('qris'), names.orderState] })
    .catch(() => undefined);
  await admin.disconnect();
  await sim.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const freePort = (): Promise<number> =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/** Writes a secret file the way an operator replaces one: a new owner-only file renamed over the old. */
function writeSecret(path: string, value: string): void {
  writeFileSync(`${path}.new`, value, { mode: 0o600 });
  chmodSync(`${path}.new`, 0o600);
  renameSync(`${path}.new`, path);
}

async function readyz(opsPort: number): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`http://127.0.0.1:${String(opsPort)}/readyz`);
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

interface CliWorker {
  readonly child: ChildProcess;
  readonly opsPort: number;
  output(): string;
  stop(): Promise<number | null>;
}

/** `paystream worker` for gopay on this spec's topics, with the Kafka flags given, its stdout and stderr kept. */
async function cliWorker(kafkaFlags: string[]): Promise<CliWorker> {
  const opsPort = await freePort();
  const args = [
    '--simulator',
    join(dir, 'sim.json'),
    '--brokers',
    broker.brokers.join(','),
    '--topic-prefix',
    names.prefix,
    '--plugins',
    'gopay',
    '--ops-port',
    String(opsPort),
  ];
  const child = spawn('bash', [join(root, 'packages/worker/bin/paystream'), 'worker', ...args, '--kafka-tls', ...kafkaFlags], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PAYSTREAM_STATE_DIR: mkdtempSync(join(dir, 'state-')) },
  });
  let text = '';
  child.stdout.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return {
    child,
    opsPort,
    output: () => text,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const unready = (w: CliWorker, setting: string) =>
  expect
    .poll(async () => readyz(w.opsPort), { timeout: 45_000, interval: 250 })
    .toMatchObject({ status: 503, body: expect.stringContaining(setting) as unknown });

const ready = (w: CliWorker) => expect.poll(async () => (await readyz(w.opsPort)).status, { timeout: 60_000, interval: 250 }).toBe(200);

async function dlqRecords(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(names.dlq('gopay'));
  return offsets.reduce((n, p) => n + Number(p.high), 0);
}

const scram = (passwordFile: string) => [
  '--kafka-ca-files',
  broker.caFile,
  '--kafka-sasl-mechanism',
  'scram-sha-512',
  '--kafka-sasl-username',
  'paystream-worker',
  '--kafka-sasl-password-file',
  passwordFile,
];

describe('the worker that Kafka refuses', () => {
  it('stays unready with a wrong SCRAM password, consumes nothing, and becomes ready after the file is fixed and SIGHUP', async () => {
    const wrong = `wrong-password-${randomUUID()}`;
    const right = readFileSync(broker.users['paystream-worker']?.passwordFile ?? '', 'utf8').trim();
    const passwordFile = join(dir, 'scram.password');
    writeSecret(passwordFile, wrong);
    const worker = await cliWorker(scram(passwordFile));
    try {
      await unready(worker, 'kafka.sasl.passwordFile');
      const { body } = await readyz(worker.opsPort);
      expect(JSON.parse(body)).toMatchObject({
        ready: false,
        reasons: [expect.stringMatching(/PS_ERR_KAFKA_REFUSED.*SCRAM-SHA-512 login of user paystream-worker/)],
      });
      expect(worker.output()).toMatch(/"code":"PS_ERR_KAFKA_REFUSED".*"setting":"kafka.sasl.passwordFile"/);
      // A command published meanwhile waits for the worker: no result, no DLQ record.
      const commandId = randomUUID();
      const orderId = `unready-${commandId.slice(0, 8)}`;
      const command = {
        commandId,
        type: 'payment.charge',
        method: 'gopay',
        orderId,
        amount: { value: 25_000, currency: 'IDR' },
        details: {},
        requestedAt: new Date().toISOString(),
      };
      await producer.send({ topic: names.commands('gopay'), acks: -1, messages: [{ key: orderId, value: JSON.stringify(command) }] });
      expect(results.has(commandId)).toBe(false);
      expect(worker.child.exitCode).toBeNull();

      writeSecret(passwordFile, right);
      worker.child.kill('SIGHUP');
      await ready(worker);
      await expect.poll(() => results.get(commandId)?.type, { timeout: 60_000, interval: 250 }).toMatch(/^paystream\.payment\./);
      expect(await dlqRecords()).toBe(0);
      expect(body).not.toContain(wrong);
    } finally {
      expect(await worker.stop()).toBe(0);
    }
    expect(worker.output()).toContain('SIGHUP: Kafka credentials read again');
    expect(worker.output()).not.toContain(wrong);
    expect(worker.output()).not.toContain(right);
  }, 90_000);

  it('stays unready when no OAUTHBEARER token can be had (the client secret is refused), and recovers on SIGHUP', async () => {
    const right = readFileSync(broker.oauth.clientSecretFile, 'utf8').trim();
    const wrong = `wrong-secret-${randomUUID()}`;
    const secretFile = join(dir, 'oauth.client-secret');
    writeSecret(secretFile, wrong);
    const worker = await cliWorker([
      '--kafka-ca-files',
      broker.caFile,
      '--kafka-sasl-mechanism',
      'oauthbearer',
      '--kafka-oauth-token-endpoint',
      broker.oauth.tokenEndpoint,
      '--kafka-oauth-client-id',
      broker.oauth.clientId,
      '--kafka-oauth-client-secret-file',
      secretFile,
    ]);
    try {
      await unready(worker, 'kafka.sasl.oauth');
      const { body } = await readyz(worker.opsPort);
      expect(body).toMatch(/no token: no OAUTHBEARER token for Kafka from http:\/\/127\.0\.0\.1:\d+\/token: HTTP 401 invalid_client/);
      writeSecret(secretFile, right);
      worker.child.kill('SIGHUP');
      await ready(worker);
      expect(await dlqRecords()).toBe(0);
    } finally {
      expect(await worker.stop()).toBe(0);
    }
    expect(worker.output()).not.toContain(wrong);
    expect(worker.output()).not.toContain(right);
  }, 90_000);

  it("stays unready when the brokers' certificate is from an unknown CA, and takes the right CA file on SIGHUP", async () => {
    const caFile = join(dir, 'other-ca.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'other-ca.key'),
        '-out',
        caFile,
        '-days',
        '1',
        '-subj',
        '/CN=another-ca',
      ],
      { stdio: 'ignore' },
    );
    expect(made.status).toBe(0);
    const passwordFile = broker.users['paystream-worker']?.passwordFile ?? '';
    const worker = await cliWorker([...scram(passwordFile).slice(2), '--kafka-ca-files', caFile]);
    try {
      await unready(worker, 'kafka.tls.caFiles');
      expect((await readyz(worker.opsPort)).body).toContain("the brokers' certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN)");
      writeFileSync(caFile, readFileSync(broker.caFile));
      worker.child.kill('SIGHUP');
      await ready(worker);
    } finally {
      expect(await worker.stop()).toBe(0);
    }
    expect(worker.output()).not.toContain(readFileSync(passwordFile, 'utf8').trim());
  }, 90_000);

  it('stays unready while the brokers refuse its OAUTHBEARER token (expired), and becomes ready with a valid one', async () => {
    const home = secureTestBrokerOptions().home;
    const key = createPrivateKey(readFileSync(join(home, 'oauth', 'signing.key')));
    const jwk = createPublicKey(key).export({ format: 'jwk' });
    const kid = createHash('sha256')
      .update(JSON.stringify([jwk.e, jwk.kty, jwk.n]))
      .digest('base64url');
    const part = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const token = (expS: number): string => {
      const nowS = Math.floor(Date.now() / 1000);
      const body = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part({ iss: new URL(broker.oauth.tokenEndpoint).origin, aud: 'kafka', sub: 'paystream-worker', iat: nowS - 600, nbf: nowS - 600, exp: nowS + expS, scope: 'kafka' })}`;
      return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
    };
    let lifetimeS = -300;
    const logs: string[] = [];
    const opsPort = await freePort();
    const starting = runWorker({
      core: parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), join(dir, 'keys'))),
      brokers: broker.brokers,
      kafkaSecurity: {
        tls: { caFiles: [broker.caFile] },
        sasl: { mechanism: 'oauthbearer' },
        oauthBearerProvider: () => Promise.resolve({ value: token(lifetimeS) }),
      },
      plugins: ['gopay'],
      partitions: 1,
      topicPrefix: names.prefix,
      operations: { host: '127.0.0.1', port: opsPort },
      stateDir: mkdtempSync(join(dir, 'state-')),
      logger: createLogger(
        { name: 'kafka-unready', level: 'info' },
        new Writable({ write: (c: Buffer, _e, done) => done(void logs.push(c.toString())) }),
      ),
    });
    await expect
      .poll(async () => readyz(opsPort), { timeout: 45_000, interval: 250 })
      .toMatchObject({
        status: 503,
        body: expect.stringContaining(
          '(kafkaSecurity.oauthBearerProvider): the brokers closed the connection after the token was sent',
        ) as unknown,
      });
    lifetimeS = 300;
    process.kill(process.pid, 'SIGHUP');
    const worker = await starting;
    try {
      await expect.poll(() => worker.readiness(), { timeout: 60_000, interval: 250 }).toEqual([]);
      expect(logs.join('')).toContain('Kafka admits the worker');
    } finally {
      await worker.stop(5_000);
    }
  }, 90_000);
});

describe('what Kafka refuses at once', () => {
  it('refuses to start in plaintext towards a broker that is not on this host', () => {
    const run = spawnSync(
      'bash',
      [
        join(root, 'packages/worker/bin/paystream'),
        'worker',
        '--simulator',
        join(dir, 'sim.json'),
        '--brokers',
        'kafka.example.com:9092',
        '--plugins',
        'gopay',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status).toBe(78);
    expect(run.stderr).toContain(
      'paystream worker: PS_ERR_KAFKA_PLAINTEXT: the Kafka broker kafka.example.com:9092 is not a loopback address',
    );
  }, 60_000);

  it('gives an upstream principal a topic authorization error on a method it is not allowed', async () => {
    const checkout = broker.users['checkout']?.passwordFile ?? '';
    const kafkaFlags = ['--kafka-tls', '--kafka-ca-files', broker.caFile, '--kafka-sasl-mechanism', 'scram-sha-512'];
    const login = ['--kafka-sasl-username', 'checkout', '--kafka-sasl-password-file', checkout];
    const publish = async (method: string): Promise<string> => {
      const order = ['--order', `acl-${randomUUID().slice(0, 8)}`, '--amount', '10000'];
      const where = ['--brokers', broker.brokers.join(','), '--topic-prefix', names.prefix, '--simulator', join(dir, 'sim.json')];
      const child = spawn(
        'bash',
        [join(root, 'packages/worker/bin/paystream'), 'publish', method, ...order, ...where, ...kafkaFlags, ...login],
        {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      let exited = false;
      child.on('exit', () => (exited = true));
      // The answer is what the operator reads; the process is not kept waiting for once it is printed.
      await expect.poll(() => exited || /published|TOPIC_AUTHORIZATION_FAILED/.test(text), { timeout: 30_000, interval: 100 }).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGKILL');
      return text;
    };
    const refused = await publish('qris');
    expect(refused).toContain(
      'paystream publish: PS_ERR_KAFKA_NOT_AUTHORIZED: the brokers refused the request (TOPIC_AUTHORIZATION_FAILED)',
    );
    expect(refused).not.toContain(readFileSync(checkout, 'utf8').trim());
    expect(await publish('gopay')).toMatch(/^published payment\.charge /);
  }, 80_000);
});
