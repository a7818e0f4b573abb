// "HTTPS only": a worker asked to serve its notification ingress in plain HTTP on an address other
// than loopback refuses to start (PS_ERR_INGRESS_PLAIN_HTTP) before it listens or connects anywhere:
// nothing answers on the port it was given and it created none of its topics. `paystream worker`
// says why; `ingress.allowPlainHttp` (a TLS-terminating proxy in front) lets it start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, PaystreamError, parseCoreConfig, type CoreConfig } from '@paystream/core';
import type {} from '@paystream/kafka-broker/global-setup';
import { testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { coreConfigFromSimulator, main, runWorker } from '@paystream/worker';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';

let sim: Simulator;
let core: Readonly<CoreConfig>;
const dir = mkdtempSync(join(tmpdir(), 'paystream-exposure-'));

beforeAll(async () => {
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  core = parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), dir));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Addresses of this host that are not loopback: the wildcards, and whatever interfaces it has. */
const exposed = [
  '0.0.0.0',
  '::',
  ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((i) => !i.internal).map((i) => i.address)),
];

const listening = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });

async function topicsWith(prefix: string): Promise<string[]> {
  const admin = testKafka(inject('kafkaBrokers'), 'exposure-test').admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  } finally {
    await admin.disconnect();
  }
}

describe('plain HTTP on a non-loopback address', () => {
  it.each(exposed)('runWorker refuses to start on %s before listening or connecting', async (host) => {
    const prefix = `${uniqueTopic('exposed')}.`;
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const refusal = await runWorker({
      core,
      brokers: inject('kafkaBrokers'),
      plugins: ['gopay'],
      topicPrefix: prefix,
      ingress: { host, port },
    }).then(
      async (w) => (await w.stop(1_000), undefined),
      (err: unknown) => err,
    );
    expect(PaystreamError.is(refusal) && refusal.code).toBe('PS_ERR_INGRESS_PLAIN_HTTP');
    expect(await listening(port)).toBe(false);
    expect(await topicsWith(prefix)).toEqual([]);
  });

  it('paystream worker exits 78 (configuration) naming the code and the fix', async () => {
    const config = join(dir, 'exposed.json');
    const prefix = `${uniqueTopic('exposed-cli')}.`;
    writeFileSync(
      config,
      JSON.stringify({
        simulator: join(dir, 'sim.json'),
        kafka: { brokers: inject('kafkaBrokers'), topicPrefix: prefix },
        ingress: { host: '0.0.0.0' },
      }),
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await main(['worker', '--config', config])).toBe(78);
      const said = errors.mock.calls.flat().join('\n');
      expect(said).toContain('PS_ERR_INGRESS_PLAIN_HTTP');
      expect(said).toMatch(/ingress\.tlsCertFile.*ingress\.allowPlainHttp/);
    } finally {
      errors.mockRestore();
    }
    expect(await topicsWith(prefix)).toEqual([]);
  });

  it('starts when ingress.allowPlainHttp says a TLS-terminating proxy is in front', async () => {
    const prefix = `${uniqueTopic('proxied')}.`;
    const logger = createLogger({ name: 'exposure', level: 'silent' });
    const worker = await runWorker({
      core,
      brokers: inject('kafkaBrokers'),
      plugins: ['gopay'],
      topicPrefix: prefix,
      logger,
      ingress: { host: '0.0.0.0', allowPlainHttp: true },
    });
    try {
      expect(worker.ingressUrl).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      expect(await listening(Number(new URL(worker.ingressUrl).port))).toBe(true);
    } finally {
      await worker.stop(1_000);
      const admin = testKafka(inject('kafkaBrokers'), 'exposure-test').admin();
      await admin.connect();
      await admin.deleteTopics({ topics: await topicsWith(prefix) });
      await admin.disconnect();
    }
  });
});
