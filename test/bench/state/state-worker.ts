// One real `paystream worker` process (the harness' WorkerFleet, one slot) on a state folder of its
// own, timed from its spawn to its first /readyz 200, and what it did until then: CPU, bytes read,
// the orders it knows, its state metrics and what it logged about its index.
import { readFileSync } from 'node:fs';
import { readLogLines, WorkerFleet } from '@paystream/test-harness';
import type { BenchContext } from '../worker/run.ts';
import { cpuSeconds } from '../worker/procfs.ts';

/** How often /readyz is asked: the resolution of every start figure. */
const POLL_MS = 50;
/** What a log line must mention to tell something about the order state's start. */
const STATE_LOG = /state|index|checkpoint|rebuil|replay|restor/i;
/** The fields of such a line worth repeating: why, and how many records it replayed. */
const LOGGED_FACTS = ['reason', 'replayed', 'orders', 'records'] as const;

export interface StartMeasure {
  /** Spawn to the first /readyz 200. */
  readonly ms: number;
  /** CPU the worker used until then (user + system). */
  readonly cpuSeconds: number;
  /** Bytes the worker read until then (/proc/PID/io rchar: Kafka fetches, its index, its own code). */
  readonly readBytes: number;
  /** paystream_orders_known once ready. */
  readonly ordersKnown: number | undefined;
  /** Every non-zero paystream_state_* sample once ready. */
  readonly stateMetrics: readonly string[];
  /** What the worker logged about its state while starting (messages and reasons only). */
  readonly stateLogs: readonly string[];
}

/** Bytes the process read so far (/proc/PID/io rchar); 0 once it is gone. */
export function readBytes(pid: number): number {
  try {
    return Number(/^rchar:\s+(\d+)$/m.exec(readFileSync(`/proc/${String(pid)}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export class StateWorker {
  readonly #fleet: WorkerFleet;

  private constructor(fleet: WorkerFleet) {
    this.#fleet = fleet;
  }

  /** A worker of the deployment `topicPrefix` whose index lives in `stateDir` (PAYSTREAM_STATE_DIR). */
  static async create(ctx: BenchContext, topicPrefix: string, stateDir: string, logDir: string): Promise<StateWorker> {
    const fleet = await WorkerFleet.create({
      dir: logDir,
      descriptorPath: ctx.sim.descriptor,
      brokers: ctx.broker.brokers,
      topicPrefix,
      size: 1,
      plugins: ['gopay'],
      env: { PAYSTREAM_STATE_DIR: stateDir },
    });
    return new StateWorker(fleet);
  }

  get pid(): number {
    return this.#fleet.slots[0]?.process?.pid ?? 0;
  }

  /** Starts the worker and measures its way to /readyz 200. */
  async start(timeoutMs: number): Promise<StartMeasure> {
    const started = performance.now();
    this.#fleet.start(0);
    await this.#fleet.waitReady(0, timeoutMs, POLL_MS);
    const ms = performance.now() - started;
    const pid = this.pid;
    const cpu = cpuSeconds(pid);
    const read = readBytes(pid);
    const metrics = (await this.#fleet.metrics(0)).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const known = metrics.find((l) => l.startsWith('paystream_orders_known '));
    return {
      ms,
      cpuSeconds: cpu,
      readBytes: read,
      ordersKnown: known === undefined ? undefined : Number(known.split(' ')[1]),
      stateMetrics: metrics.filter((l) => l.startsWith('paystream_state_') && Number(l.split(' ').at(-1)) !== 0),
      stateLogs: this.#stateLogs(),
    };
  }

  /** SIGTERM (the worker drains and closes its index) and the wait for its exit; returns how long that took, ms. */
  async stop(): Promise<number> {
    const asked = performance.now();
    await this.#fleet.kill(0, 'SIGTERM', 120_000);
    return performance.now() - asked;
  }

  /** The worker's log lines since its last start that speak of its state. */
  #stateLogs(): string[] {
    const slot = this.#fleet.slots[0];
    if (!slot) return [];
    const lines = readLogLines([slot.stdoutFile]);
    const from = lines.findLastIndex((l) => l.json?.['harness'] === 'worker start');
    return lines
      .slice(from + 1)
      .filter((l) => l.json !== undefined && typeof l.json['msg'] === 'string' && STATE_LOG.test(l.json['msg']))
      .map((l) => {
        const facts = LOGGED_FACTS.flatMap((f) => {
          const v = l.json?.[f];
          return typeof v === 'string' || typeof v === 'number' ? [`${f} ${String(v)}`] : [];
        });
        return `${String(l.json?.['msg'])}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
      });
  }
}
