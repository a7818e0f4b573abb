// An idle `paystream worker` sleeps: against the real broker and the simulator, with nothing to do, its
// event loop runs few timer callbacks. kafkajs 2.2.4 as published re-armed a timer every millisecond
// per broker connection (scripts/patches/kafkajs/requestQueue.js), thousands of wake-ups a second.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {} from '@paystream/kafka-broker/global-setup';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { until } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const cli = join(import.meta.dirname, '../../packages/worker/src/cli/main.ts');
const counter = join(import.meta.dirname, '../harness/src/timer-wakeups.ts');
const dir = mkdtempSync(join(tmpdir(), 'paystream-idle-'));
const sample = join(dir, 'wakeups.json');
/** What the issue allows an idle worker: wake-ups per second. */
const MAX_WAKEUPS_PER_SECOND = 50;
const WINDOW_MS = 10_000;
let sim: Simulator;
let worker: ChildProcess;

interface Sample {
  readonly wakeups: number;
  readonly cpuMicros: number;
  readonly at: number;
}

async function read(): Promise<Sample> {
  rmSync(sample, { force: true });
  worker.kill('SIGUSR2');
  await until(
    () => existsSync(sample),
    () => 'the worker wrote no wake-up count',
    { timeoutMs: 10_000 },
  );
  return JSON.parse(readFileSync(sample, 'utf8')) as Sample;
}

beforeAll(async () => {
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  const args = ['worker', '--simulator', join(dir, 'sim.json'), '--plugins', 'gopay', '--brokers', inject('kafkaBrokers').join(',')];
  worker = spawn(process.execPath, ['--import', counter, cli, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PAYSTREAM_LOG_LEVEL: 'warn', PAYSTREAM_STATE_DIR: join(dir, 'state'), PAYSTREAM_WAKEUPS_FILE: sample },
  });
  let out = '';
  worker.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  await until(
    () => /health and metrics at \S+/.test(out),
    () => `the worker never listened: ${out}`,
    { timeoutMs: 90_000 },
  );
  const ops = /health and metrics at (\S+)/.exec(out)?.[1] ?? '';
  await until(
    async () => (await fetch(`${ops}/readyz`)).status === 200,
    () => 'the worker never became ready',
    { timeoutMs: 90_000 },
  );
});
afterAll(async () => {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an idle worker', () => {
  it(`wakes at most ${String(MAX_WAKEUPS_PER_SECOND)} times a second for timers`, async () => {
    await sleep(2_000); // past the groups' first heartbeats and fetches
    const first = await read();
    await sleep(WINDOW_MS);
    const last = await read();
    const seconds = (last.at - first.at) / 1_000;
    const perSecond = (last.wakeups - first.wakeups) / seconds;
    const cpuShare = (last.cpuMicros - first.cpuMicros) / 1e6 / seconds;
    console.log(
      `idle worker: ${perSecond.toFixed(1)} timer wake-ups/s, ${(cpuShare * 100).toFixed(2)} % of a core over ${seconds.toFixed(1)} s`,
    );
    expect(perSecond).toBeGreaterThan(0); // the count works: heartbeats and fetches still run
    expect(perSecond).toBeLessThanOrEqual(MAX_WAKEUPS_PER_SECOND);
  });
});
