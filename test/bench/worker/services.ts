// The services a worker benchmark runs against, each in its own process: a Kafka broker of its own
// (or KAFKA_BROKERS when given) and the Midtrans simulator. Both are stopped by whoever started them.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { start, status, stop, type BrokerOptions } from '@paystream/kafka-broker';
import { kafkaSecurityFromEnvironment, type KafkaSecurityInput } from '@paystream/worker';
import { repoRoot } from '../../../infra/kafka/src/broker.ts';

export interface BenchBroker {
  readonly brokers: string[];
  /** The broker's process, to read its CPU time; absent for a broker given by KAFKA_BROKERS. */
  readonly pid: number | undefined;
  /** How its clients connect: a broker given by KAFKA_BROKERS is secured as the worker's KAFKA_TLS…/KAFKA_SASL… variables say. */
  readonly kafkaSecurity?: KafkaSecurityInput | undefined;
  /** The broker's own folder (its data among it), to measure what a topic takes on disk; absent for a broker given by KAFKA_BROKERS. */
  readonly home?: string | undefined;
  stop(): Promise<void>;
}

/**
 * The bench's own broker (PAYSTREAM_BENCH_KAFKA_PORT, default 29092) keeps a million-command
 * backlog off the test and demo brokers, and is stopped and deleted afterwards with its data.
 */
export async function startBroker(env: NodeJS.ProcessEnv = process.env): Promise<BenchBroker> {
  const given = env['KAFKA_BROKERS'];
  if (given)
    return { brokers: given.split(','), pid: undefined, kafkaSecurity: kafkaSecurityFromEnvironment(env), stop: () => Promise.resolve() };
  const opts: BrokerOptions = {
    home: join(repoRoot, '.local/kafka-bench'),
    port: Number(env['PAYSTREAM_BENCH_KAFKA_PORT'] ?? 29092),
    portVariable: 'PAYSTREAM_BENCH_KAFKA_PORT',
  };
  await start(opts);
  const { pid } = await status(opts);
  return {
    brokers: [`127.0.0.1:${String(opts.port)}`],
    pid,
    home: opts.home,
    stop: async () => {
      await stop(opts);
      rmSync(opts.home, { recursive: true, force: true });
    },
  };
}

export interface SimProcess {
  readonly descriptor: string;
  readonly pid: number;
  /** Every Midtrans endpoint answers `ms` later (0 clears the fault). */
  latency(ms: number): Promise<void>;
  close(): Promise<void>;
}

interface Descriptor {
  readonly adminUrl: string;
  readonly caCertPath: string;
}

function admin(d: Descriptor, method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> {
  return new Promise((done, fail) => {
    const req = request(
      `${d.adminUrl}${path}`,
      { method, ca: readFileSync(d.caCertPath, 'utf8'), headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) done();
          else fail(new Error(`simulator admin ${method} ${path} answered ${String(res.statusCode)}`));
        });
      },
    );
    req.on('error', fail);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** The simulator as its own process (`npm run sim`), so its CPU and memory are not the worker's. */
export async function startSimulator(dir: string): Promise<SimProcess> {
  const descriptor = join(dir, 'sim.json');
  const child = spawn(process.execPath, [join(repoRoot, 'packages/midtrans-sim/src/cli.ts'), '--state-file', descriptor], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const deadline = Date.now() + 60_000;
  let d: Descriptor | undefined;
  while (!d) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('the simulator did not start');
    await sleep(100);
    try {
      d = JSON.parse(readFileSync(descriptor, 'utf8')) as Descriptor;
    } catch {
      // not written yet
    }
  }
  const desc = d;
  return {
    descriptor,
    pid: child.pid ?? 0,
    latency: (ms) =>
      ms > 0
        ? admin(desc, 'DELETE', '/faults').then(() => admin(desc, 'POST', '/faults', { kind: 'latency', path: '*', latencyMs: ms }))
        : admin(desc, 'DELETE', '/faults'),
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
