// The worker as an operator runs it: `paystream worker` in its own process against the simulator and
// the real broker, `paystream publish --wait` printing the result, SIGTERM draining to exit code 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import type {} from '@paystream/kafka-broker/global-setup';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '../../packages/worker/src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'paystream-worker-cli-'));
let sim: Simulator;
let worker: ChildProcess;
let brokers: string;
let opsUrl = '';

beforeAll(async () => {
  brokers = inject('kafkaBrokers').join(',');
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  worker = spawn(process.execPath, [cli, 'worker', '--simulator', join(dir, 'sim.json'), '--plugins', 'gopay', '--brokers', brokers], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PAYSTREAM_LOG_LEVEL: 'warn', PAYSTREAM_STATE_DIR: join(dir, 'state') },
  });
  await new Promise<void>((done, fail) => {
    worker.stdout?.on('data', (c: Buffer) => {
      const line = c.toString();
      const ops = /health and metrics at (\S+)/.exec(line);
      if (ops?.[1]) {
        opsUrl = ops[1];
        done();
      }
    });
    worker.once('exit', (code) => fail(new Error(`worker exited early with ${String(code)}`)));
  });
});
afterAll(async () => {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paystream worker and publish', () => {
  it('publishes a charge and prints its action_required result, then drains on SIGTERM and exits 0', async () => {
    const order = `cli-${String(Date.now())}`;
    const { stdout } = await run(process.execPath, [
      cli,
      'publish',
      'gopay',
      '--order',
      order,
      '--amount',
      '150000',
      '--wait',
      '8',
      '--brokers',
      brokers,
    ]);
    expect(stdout).toContain(`for order ${order}`);
    expect(stdout).toMatch(/paystream\.payment\.action_required .*"status":"action_required"/);
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === order && e.event === 'charge')).toHaveLength(1);
    expect((await fetch(`${opsUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${opsUrl}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${opsUrl}/metrics`)).text();
    expect(metrics).toContain('paystream_commands_total{method="gopay",outcome="action_required"} 1');
    expect(metrics).toMatch(
      /paystream_midtrans_call_seconds_count\{family="snap",path="\/v1.0\/debit\/payment-host-to-host",result="ok"\} 1/,
    );
    expect(metrics).not.toContain(sim.credentials.clientSecret);
    const exited = new Promise<number | null>((done) => worker.once('exit', (code) => done(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
