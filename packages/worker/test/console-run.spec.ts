// `paystream console` as an operator runs it against a real broker and the Midtrans simulator: it
// prints its address, serves the page and the sign-in over HTTPS with the configured certificate and
// the API over Kafka, and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBroker, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { createTopicsWithLeaders, topology } from '@paystream/runtime';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../../core/test/certs.ts';
import { tokenLine } from '../src/console/server/tokens-file.ts';
import { call, cookieOf } from './console-client.ts';

const main = join(import.meta.dirname, '../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'console-run-'));
const names = topology(`${uniqueTopic('console')}.`);
const token = randomBytes(32).toString('base64url');
let brokers: string[];
let sim: Simulator;
let admin: Admin;
let pki: TestPki;

beforeAll(async () => {
  brokers = (await ensureBroker()).brokers;
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  pki = await makePki();
  writeFileSync(join(dir, 'cert.pem'), pki.certPem);
  writeFileSync(join(dir, 'key.pem'), pki.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'tokens'), `${tokenLine(token, 'viewer', 'Vera')}\n`, { mode: 0o600 });
  admin = testKafka(brokers, 'console-run-test').admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [{ topic: names.orderState, numPartitions: 1 }]);
}, 120_000);

afterAll(async () => {
  await admin.deleteTopics({ topics: [names.orderState] });
  await admin.disconnect();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paystream console', () => {
  it('prints its address, serves over HTTPS, and stops on SIGTERM', async () => {
    const config = join(dir, 'config.json');
    const tls = { tlsCertFile: join(dir, 'cert.pem'), tlsKeyFile: join(dir, 'key.pem') };
    writeFileSync(config, JSON.stringify({ console: { ...tls, auth: { tokensFile: join(dir, 'tokens') } } }));
    const args = ['console', '--config', config, '--simulator', join(dir, 'sim.json'), '--brokers', brokers.join(',')];
    const more = ['--topic-prefix', names.prefix, '--plugins', 'gopay', '--listen', '127.0.0.1:0'];
    const child = spawn(process.execPath, [main, ...args, ...more], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const address = (): string | undefined => /paystream console at (https:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
    try {
      await expect.poll(address, { timeout: 60_000 }).toBeDefined();
      const url = address() ?? '';
      expect((await call(url, pki.caPem, 'GET', '/')).status).toBe(200);
      const body = JSON.stringify({ token });
      const signIn = await call(url, pki.caPem, 'POST', '/auth/token', { headers: { 'content-type': 'application/json' }, body });
      expect(signIn.json).toMatchObject({ user: { name: 'Vera', role: 'viewer' } });
      const session = await call(url, pki.caPem, 'GET', '/api/session', { headers: { cookie: cookieOf(signIn) } });
      expect(session.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('paystream console stopped (SIGTERM)');
    expect(output).not.toContain(token);
  }, 120_000);
});
