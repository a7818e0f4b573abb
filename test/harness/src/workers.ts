// Real `paystream worker` processes, as an operator runs them: one per slot, each slot with fixed
// ingress and operations ports so a restarted worker comes back at the same address. Output goes
// straight into files (JSON lines) that survive the process, for scanning after the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { WORKER_NODE_FLAGS } from '@paystream/worker';
import { freePort } from './ports.ts';

/** The CLI entry the `paystream` bin runs, started with this Node so SIGKILL reaches the worker itself. */
export const PAYSTREAM_CLI = join(dirname(fileURLToPath(import.meta.resolve('@paystream/worker'))), 'cli', 'main.ts');

export interface FleetOptions {
  readonly dir: string;
  /** `--simulator DESCRIPTOR`, unless `configFile` names a full core configuration (`--config`). */
  readonly descriptorPath: string;
  readonly configFile?: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly size: number;
  readonly plugins?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface WorkerSlot {
  readonly index: number;
  /** Fixed for the slot's life; new ones only when another process took them before the first start. */
  ingressPort: number;
  opsPort: number;
  readonly stdoutFile: string;
  readonly stderrFile: string;
  /** How many times this slot's worker was started. */
  starts: number;
  process?: ChildProcess;
  exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const live = new Set<ChildProcess>();
// Whatever happens to the test process, no worker outlives it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class WorkerFleet {
  readonly slots: readonly WorkerSlot[];
  readonly #opts: FleetOptions;

  private constructor(opts: FleetOptions, slots: WorkerSlot[]) {
    this.#opts = opts;
    this.slots = slots;
  }

  static async create(opts: FleetOptions): Promise<WorkerFleet> {
    const logs = join(opts.dir, 'logs');
    mkdirSync(logs, { recursive: true });
    const slots: WorkerSlot[] = [];
    for (let index = 0; index < opts.size; index++) {
      slots.push({
        index,
        ingressPort: await freePort(),
        opsPort: await freePort(),
        stdoutFile: join(logs, `worker-${String(index)}.stdout.log`),
        stderrFile: join(logs, `worker-${String(index)}.stderr.log`),
        starts: 0,
      });
    }
    return new WorkerFleet(opts, slots);
  }

  get logFiles(): string[] {
    return this.slots.flatMap((s) => [s.stdoutFile, s.stderrFile]);
  }

  /** The ingress base URLs of every slot, alive or not: what a load balancer has as its pool. */
  get ingressUrls(): string[] {
    return this.slots.map((s) => `http://127.0.0.1:${String(s.ingressPort)}`);
  }

  opsUrl(i: number): string {
    return `http://127.0.0.1:${String(this.#slot(i).opsPort)}`;
  }

  isAlive(i: number): boolean {
    const p = this.#slot(i).process;
    return p !== undefined && p.exitCode === null && p.signalCode === null;
  }

  alive(): number[] {
    return this.slots.filter((s) => this.isAlive(s.index)).map((s) => s.index);
  }

  #slot(i: number): WorkerSlot {
    const slot = this.slots[i];
    if (!slot) throw new RangeError(`no worker slot ${String(i)}`);
    return slot;
  }

  #args(slot: WorkerSlot): string[] {
    const o = this.#opts;
    const core = o.configFile ? ['--config', o.configFile] : ['--simulator', o.descriptorPath];
    // The V8 flags `paystream worker` runs with in production, so the scenarios hold its memory bounds too.
    return [
      ...WORKER_NODE_FLAGS,
      PAYSTREAM_CLI,
      'worker',
      ...core,
      '--brokers',
      o.brokers.join(','),
      '--topic-prefix',
      o.topicPrefix,
      '--ingress-port',
      String(slot.ingressPort),
      '--ops-port',
      String(slot.opsPort),
      ...(o.plugins ? ['--plugins', o.plugins.join(',')] : []),
    ];
  }

  /** Spawns the slot's worker; resolves once it is spawned (see `waitReady`). */
  start(i: number): void {
    const slot = this.#slot(i);
    if (this.isAlive(i)) throw new Error(`worker ${String(i)} is already running`);
    slot.starts++;
    const out = openSync(slot.stdoutFile, 'a');
    const err = openSync(slot.stderrFile, 'a');
    writeSync(out, `${JSON.stringify({ harness: 'worker start', slot: i, start: slot.starts, at: new Date().toISOString() })}\n`);
    try {
      // Each slot keeps its own order-state index in the fleet's folder (removed with it), warm across its restarts.
      const stateDir = join(this.#opts.dir, 'state', `worker-${String(i)}`);
      const env = { ...process.env, PAYSTREAM_STATE_DIR: stateDir, ...this.#opts.env };
      const child = spawn(process.execPath, this.#args(slot), { stdio: ['ignore', out, err], env });
      live.add(child);
      slot.process = child;
      slot.exit = new Promise((done) => {
        child.once('exit', (code, signal) => {
          live.delete(child);
          done({ code, signal });
        });
      });
    } finally {
      closeSync(out);
      closeSync(err);
    }
  }

  /** Waits until the worker answers 200 on /readyz, asking every `pollMs`; fails at once if it exits meanwhile. */
  async waitReady(i: number, timeoutMs = 90_000, pollMs = 200): Promise<void> {
    const slot = this.#slot(i);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.isAlive(i)) throw new Error(`worker ${String(i)} exited before it was ready: ${this.#tail(slot.stderrFile)}`);
      const status = await fetch(`${this.opsUrl(i)}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      await sleep(pollMs);
    }
    throw new Error(`worker ${String(i)} was not ready within ${String(timeoutMs)} ms: ${this.#tail(slot.stderrFile)}`);
  }

  async startAll(): Promise<void> {
    for (const s of this.slots) this.start(s.index);
    for (const s of this.slots) await this.#firstReady(s);
  }

  /**
   * A port found free may be taken by another process (a parallel test run) before the worker binds
   * it: at the first start, and only then, such a slot gets new ports and its worker starts again.
   */
  async #firstReady(slot: WorkerSlot, attempts = 3): Promise<void> {
    for (let n = 1; ; n++) {
      try {
        await this.waitReady(slot.index);
        return;
      } catch (err) {
        if (n >= attempts || this.isAlive(slot.index) || !this.#tail(slot.stderrFile).includes('EADDRINUSE')) throw err;
        slot.ingressPort = await freePort();
        slot.opsPort = await freePort();
        this.start(slot.index);
      }
    }
  }

  /** Sends `signal` and waits for the exit; SIGTERM escalates to SIGKILL after `graceMs`. */
  async kill(
    i: number,
    signal: NodeJS.Signals = 'SIGKILL',
    graceMs = 30_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const slot = this.#slot(i);
    if (!slot.process || !slot.exit) throw new Error(`worker ${String(i)} was never started`);
    if (!this.isAlive(i)) return slot.exit;
    slot.process.kill(signal);
    if (signal === 'SIGKILL') return slot.exit;
    const timer = setTimeout(() => slot.process?.kill('SIGKILL'), graceMs);
    try {
      return await slot.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(i: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.kill(i, signal);
    this.start(i);
    await this.waitReady(i);
  }

  async readiness(i: number): Promise<{ status: number; reasons: string[] }> {
    const r = await fetch(`${this.opsUrl(i)}/readyz`);
    const body = (await r.json()) as { reasons?: string[] };
    return { status: r.status, reasons: body.reasons ?? [] };
  }

  async metrics(i: number): Promise<string> {
    return (await fetch(`${this.opsUrl(i)}/metrics`)).text();
  }

  /** Stops every worker (SIGTERM, then SIGKILL past the grace period). */
  async stopAll(graceMs = 15_000): Promise<void> {
    await Promise.all(this.alive().map((i) => this.kill(i, 'SIGTERM', graceMs)));
  }

  #tail(file: string): string {
    try {
      return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no output)';
    }
  }
}
