// The worker's container binds every part once, and a worker start resolves each of them through the
// parts made from it: a part bound that nothing uses, a token left unbound, or a part built twice
// fails here. Real broker and simulator, as runWorker uses them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, parseCoreConfig } from '@paystream/core';
import { ensureBroker, uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { PAYMENT_METHOD_PLUGIN } from '@paystream/plugin-sdk';
import type { ServiceIdentifier } from 'inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerContainer } from './composition.ts';
import { coreConfigFromSimulator } from './config/from-simulator.ts';
import { workerSettings, type WorkerOptions } from './config/worker-options.ts';
import { TOKENS } from './tokens.ts';
import type { RunningWorker } from './worker.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-composition-'));
let sim: Simulator;
let options: WorkerOptions;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  const { brokers } = await ensureBroker();
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  options = {
    core: parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), join(dir, 'keys'))),
    brokers,
    plugins: ['gopay', 'va'],
    partitions: 1,
    topicPrefix: `${uniqueTopic('composition')}.`,
    logger: createLogger({ name: 'composition', level: 'silent' }, new Writable({ write: (_c, _e, done) => done() })),
  };
}, 180_000);

afterAll(async () => {
  await worker?.stop(1_000);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the worker container', () => {
  it('refuses an unknown plugin before anything opens', () => {
    expect(() => workerContainer(workerSettings({ ...options, plugins: ['gopay', 'no-such-method'] }))).toThrow(
      /unknown plugin\(s\): no-such-method/,
    );
  });

  it('binds every part, and a start resolves each once through what uses it', async () => {
    const container = workerContainer(workerSettings(options));
    const ids: [string, ServiceIdentifier][] = [...Object.entries(TOKENS), ['plugin declarations', PAYMENT_METHOD_PLUGIN]];
    expect(ids.filter(([, id]) => !container.isBound(id)).map(([name]) => name)).toEqual([]);
    const activations = new Map<string, number>();
    for (const [name, id] of ids)
      container.onActivation(id, (_context, value: unknown) => {
        activations.set(name, (activations.get(name) ?? 0) + 1);
        return value;
      });
    worker = await container.getAsync(TOKENS.worker);
    expect(ids.map(([name]) => name).filter((name) => !activations.has(name))).toEqual([]);
    expect(Object.fromEntries(activations)).toEqual({
      ...Object.fromEntries(Object.keys(TOKENS).map((name) => [name, 1])),
      'plugin declarations': 2,
    });
    expect(worker.plugins).toEqual(['gopay', 'va']);
    await expect.poll(() => worker?.readiness(), { timeout: 60_000, interval: 250 }).toEqual([]);
    expect((await fetch(`${worker.operationsUrl}/readyz`)).status).toBe(200);
  });
});
