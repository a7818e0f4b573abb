// Sets up what every worker benchmark needs — broker, simulator, a Kafka client and an admin — and tears all of it down, whatever happened in between. The bench's own Kafka clients
// log nothing: kafkajs logs retried requests as errors, and a real failure is thrown anyway.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaConnection } from '@paystream/worker';
import type { BenchContext } from './run.ts';
import { startBroker, startSimulator } from './services.ts';

/**
 * core `http.connectionsPerOrigin` where each Midtrans call takes 100 ms: the default (64) would cap
 * a worker at 640 calls/s, and the worker keeps up to 256 commands in flight (runWorker's
 * maxInFlight), so it gets one connection for each. Without latency the default is kept.
 */
export const SLOW_CONNECTIONS = 256;
export const DEFAULT_CONNECTIONS = 64;

/** Whole runs per figure (BENCH_RUNS, default 3); each figure is their median. */
export const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));

export async function withContext<T>(body: (ctx: BenchContext) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-worker-bench-'));
  const broker = await startBroker();
  try {
    const sim = await startSimulator(dir);
    try {
      const connection = kafkaConnection({ clientId: 'paystream-bench', brokers: broker.brokers, security: broker.kafkaSecurity });
      const kafka = new Kafka({ ...connection, logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await body({ kafka, admin, broker, sim, dir });
      } finally {
        await admin.disconnect();
      }
    } finally {
      await sim.close();
    }
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
