// The packages other teams install, as they install them: @paystream/contracts and @paystream/client
// built, published to a registry on loopback, installed into empty folders under Node 20 and Node 24,
// and their examples run against a running worker — the upstream example charges once per method and
// waits for action_required, the downstream one verifies and decrypts every result — and their type
// declarations compiled with `tsc --strict`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type {} from '@paystream/kafka-broker/global-setup';
import { defaultDetails, startNpmRegistry, startSystem, until, type NpmRegistry, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildPackage } from '../../scripts/build-packages.ts';
import { compileTypes, installClient, nodeRuntime, runExample, type NodeRuntime } from './client-packages/installed-client.ts';
import { writeTrust } from './consumers/real-events.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const tools = { kafkajs: versionOf('kafkajs'), typescript: versionOf('typescript'), typesNode: versionOf('@types/node') };
const customer = { firstName: 'Budi', email: 'budi@example.com', phone: '+6281298765432' };

let s: PaystreamSystem;
let registry: NpmRegistry;
const dir = mkdtempSync(join(tmpdir(), 'paystream-client-packages-'));
let trustFile: string;

beforeAll(async () => {
  s = await startSystem({ name: 'client-packages', brokers: inject('kafkaBrokers') });
  registry = await startNpmRegistry(join(dir, 'registry'));
  for (const folder of ['contracts', 'client'] as const) {
    const built = buildPackage(folder, join(dir, 'build'));
    await run('npm', ['publish', built, '--userconfig', registry.npmrc, '--loglevel=error'], { timeout: 120_000 });
  }
  trustFile = writeTrust(s, dir).file;
}, 600_000);

afterAll(async () => {
  // Whatever beforeAll started, even when it failed half-way.
  await (registry as NpmRegistry | undefined)?.close();
  await (s as PaystreamSystem | undefined)?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([20, 24])('@paystream/client installed under Node %i', (major) => {
  let runtime: NodeRuntime;
  let folder: string;
  const env = (): Record<string, string> => ({
    PAYSTREAM_BROKERS: inject('kafkaBrokers').join(','),
    PAYSTREAM_TRUST: trustFile,
    PAYSTREAM_TOPIC_PREFIX: s.names.prefix,
  });

  beforeAll(async () => {
    runtime = nodeRuntime(major);
    folder = join(dir, `node${String(major)}`);
    await installClient(folder, runtime, registry.npmrc, tools);
  }, 600_000);

  it('charges once per method through the upstream example and gets action_required for each', async () => {
    const tag = `n${String(major)}-${Date.now().toString(36)}`;
    const charges = await Promise.all(
      s.methods.map(async (method) => ({
        method,
        orderId: `pkg-${method}-${tag}`,
        amount: 25_000,
        customer,
        details: await defaultDetails(method, s.customers),
      })),
    );
    writeFileSync(join(folder, 'charges.json'), JSON.stringify(charges));
    const out = await runExample(folder, runtime, ['upstream.mjs', 'charges.json'], env());
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['orderId']).sort()).toEqual(charges.map((c) => c.orderId).sort());
    for (const line of lines) expect(line, JSON.stringify(line)).toMatchObject({ status: 'action_required' });
    // The harness's own verifying consumer has them too before the downstream example is compared with it.
    const missing = (): string[] => charges.filter((c) => s.results.forOrder(c.orderId).length === 0).map((c) => c.orderId);
    await until(
      () => missing().length === 0,
      () => `the collector lacks ${missing().join(', ')}`,
      { timeoutMs: 60_000 },
    );
    expect(s.results.problems).toEqual([]);
  });

  it('consumes every result through the downstream example, verified and decrypted as the TypeScript verifier does', async () => {
    const expected = [...s.results.events.values()];
    const out = await runExample(
      folder,
      runtime,
      ['downstream.mjs', `${s.names.prefix}downstream-${String(major)}`, String(expected.length)],
      env(),
    );
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; keyId: string; decrypted: Record<string, unknown> });
    expect(lines.map((l) => l.id).sort()).toEqual(expected.map((c) => c.event.id).sort());
    for (const line of lines) expect(line.keyId).toBe(s.publicKey.keyId);
    const decrypted = lines.filter((l) => Object.keys(l.decrypted).length > 0);
    expect(decrypted.length).toBeGreaterThanOrEqual(s.methods.length);
    for (const line of decrypted)
      expect(line.decrypted).toEqual({
        'customer.email': customer.email,
        'customer.firstName': customer.firstName,
        'customer.phone': customer.phone,
      });
  });

  it('has type declarations that compile with tsc --strict, and refuse wrong details', async () => {
    await expect(compileTypes(folder, runtime)).resolves.toBeUndefined();
  });
});
