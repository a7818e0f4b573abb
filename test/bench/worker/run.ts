// One measured run: fresh topics under a unique prefix, a backlog pre-produced in batches, the
// worker started as its own process, and every result read back from the results topic.
//
// Time is taken from Kafka itself: the results topic stamps each record with the broker's append
// time (LogAppendTime), so "the result exists" means "the broker has it". Command→result latency is
// that stamp minus the `requestedAt` the command carried when it was produced.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { createTopicsWithLeaders, topology, type Topology } from '@paystream/runtime';
import { WORKER_NODE_FLAGS } from '@paystream/worker';
import { cpuSeconds, hwmMb, ProcessSampler, runQueueSeconds } from './procfs.ts';
import type { BenchBroker, SimProcess } from './services.ts';
import type { WorkerMessage, WorkerProcessOptions, WorkerStats } from './worker-process.ts';

export interface BenchContext {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly broker: BenchBroker;
  readonly sim: SimProcess;
  /** Scratch folder: worker keys, worker logs, CPU profiles. */
  readonly dir: string;
}

export interface RunOptions {
  readonly mode: WorkerProcessOptions['mode'];
  readonly partitions: number;
  /** core `http.connectionsPerOrigin` the worker is configured with. */
  readonly connectionsPerOrigin: number;
}

/** What a window of a run cost, from the first result to the last one awaited. */
export interface Window {
  readonly results: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly worker: WorkerStats;
  /** CPU cores each process kept busy on average over the window; `generator` is this process (load and reader). */
  readonly cores: { readonly worker: number; readonly sim: number; readonly broker: number | undefined; readonly generator: number };
  /** Share of the window the worker's event-loop thread was runnable but waiting for a CPU. */
  readonly workerRunQueue: number;
  /** The machine's 1-minute load average at the end of the window (every process, not only these). */
  readonly loadAverage: number;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

export function percentiles(values: readonly number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

function gopayCharge(orderId: string): string {
  return JSON.stringify({
    commandId: randomUUID(),
    type: 'payment.charge',
    method: 'gopay',
    orderId,
    amount: { value: 150_000, currency: 'IDR' },
    customer: { phone: '+6281234567890' },
    details: { returnUrl: 'https://shop.example/back' },
    requestedAt: new Date().toISOString(),
  });
}

export class Run {
  readonly names: Topology;
  readonly #ctx: BenchContext;
  readonly #tag = `b${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  readonly #opts: RunOptions;
  readonly #mode: WorkerProcessOptions['mode'];
  #reader: Consumer | undefined;
  /** Upstream's producer; one per run, since kafkajs keeps refreshing metadata of every topic it ever sent to. */
  readonly #producer: Producer;
  #worker: ChildProcess | undefined;
  #log = '';
  #sampler: ProcessSampler | undefined;
  /** Backlog command i's result has been seen. */
  #seen = new Uint8Array(0);
  #backlogDone = 0;
  /** Paced commands in flight: key → requestedAt (ms); their latencies once answered, by send time. */
  readonly #sentAt = new Map<string, number>();
  readonly latencies: { sentAt: number; ms: number }[] = [];
  #paced = 0;
  /** Backlog results before the measured window opens (see `drain`). */
  #warmup = 0;
  /** The broker's stamp on the result that opened the window. */
  #windowStartMs: number | undefined;
  #lastResultMs = 0;
  #onWindowStart: (() => void) | undefined;

  private constructor(ctx: BenchContext, opts: RunOptions) {
    this.#ctx = ctx;
    this.#opts = opts;
    this.#mode = opts.mode;
    this.names = topology(`${this.#tag}.`);
    this.#producer = ctx.kafka.producer();
  }

  /** Creates the run's topics and starts reading its results. */
  static async open(ctx: BenchContext, opts: RunOptions): Promise<Run> {
    const run = new Run(ctx, opts);
    const n = run.names;
    await createTopicsWithLeaders(ctx.admin, [
      { topic: n.commands('gopay'), numPartitions: opts.partitions },
      { topic: n.dlq('gopay'), numPartitions: 1 },
      { topic: n.results, numPartitions: 6, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] },
    ]);
    await run.#producer.connect();
    await run.#read();
    return run;
  }

  get pid(): number {
    return this.#worker?.pid ?? 0;
  }

  get sampler(): ProcessSampler | undefined {
    return this.#sampler;
  }

  async #read(): Promise<void> {
    const reader = this.#ctx.kafka.consumer({ groupId: `${this.#tag}.reader`, maxWaitTimeInMs: 50 });
    this.#reader = reader;
    await reader.connect();
    await reader.subscribe({ topic: this.names.results, fromBeginning: true });
    const prefix = `${this.#tag}-`;
    await reader.run({
      eachBatch: ({ batch }) => {
        for (const m of batch.messages) {
          const key = m.key?.toString() ?? '';
          const at = Number(m.timestamp);
          this.#lastResultMs = Math.max(this.#lastResultMs, at);
          if (key.startsWith(`${prefix}p`)) {
            const sentAt = this.#sentAt.get(key);
            if (sentAt !== undefined) {
              this.#sentAt.delete(key);
              this.latencies.push({ sentAt, ms: at - sentAt });
            }
          } else if (key.startsWith(prefix)) {
            const i = Number(key.slice(prefix.length));
            if (this.#seen[i] === 0) {
              this.#seen[i] = 1;
              this.#backlogDone++;
              if (this.#windowStartMs === undefined && this.#backlogDone > this.#warmup) {
                this.#windowStartMs = at;
                this.#onWindowStart?.();
              }
            }
          }
        }
        return Promise.resolve();
      },
    });
  }

  /** Produces `count` charge commands in batches before the worker starts; returns commands/s. */
  async backlog(count: number): Promise<number> {
    this.#seen = new Uint8Array(count);
    const topic = this.names.commands('gopay');
    const batch = 1000;
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < count) {
          const from = next;
          next = Math.min(count, next + batch);
          const messages = [];
          for (let i = from; i < next; i++) {
            const key = `${this.#tag}-${String(i)}`;
            messages.push({ key, value: gopayCharge(key) });
          }
          await this.#producer.send({ topic, acks: -1, messages });
        }
      }),
    );
    return (count / (performance.now() - start)) * 1000;
  }

  /** Where the worker's CPU profile is written when it exits, if it was profiled. */
  profile: string | undefined;

  /**
   * Starts the worker process and resolves once it consumes; samples its RSS every `sampleMs`.
   * With `profileDir` (or BENCH_CPU_PROF=DIR) the worker writes a V8 CPU profile there as it exits.
   */
  async startWorker(sampleMs = 1000, profileDir = process.env['BENCH_CPU_PROF']): Promise<void> {
    const logs = join(this.#ctx.dir, 'logs');
    mkdirSync(logs, { recursive: true });
    this.#log = join(logs, `${this.#tag}-${this.#mode}.log`);
    const out = openSync(this.#log, 'a');
    const opts: WorkerProcessOptions = {
      mode: this.#mode,
      descriptor: this.#ctx.sim.descriptor,
      keysDir: join(this.#ctx.dir, 'worker-keys'),
      brokers: this.#ctx.broker.brokers,
      ...(this.#ctx.broker.kafkaSecurity ? { kafkaSecurity: this.#ctx.broker.kafkaSecurity } : {}),
      topicPrefix: this.names.prefix,
      partitions: this.#opts.partitions,
      connectionsPerOrigin: this.#opts.connectionsPerOrigin,
    };
    this.profile = profileDir ? join(profileDir, `${this.#tag}-${this.#mode}.cpuprofile`) : undefined;
    // Both modes run with the flags `paystream worker` runs with (bin/paystream): the process as deployed.
    const execArgv = [
      ...WORKER_NODE_FLAGS,
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${this.#tag}-${this.#mode}.cpuprofile`] : []),
    ];
    const child = spawn(process.execPath, [...execArgv, join(import.meta.dirname, 'worker-process.ts'), JSON.stringify(opts)], {
      stdio: ['ignore', out, out, 'ipc'],
    });
    closeSync(out);
    this.#worker = child;
    await new Promise<void>((done, fail) => {
      const onExit = (code: number | null): void =>
        fail(new Error(`the ${this.#mode} worker exited (${String(code)}) before it was ready:\n${this.logTail()}`));
      child.once('exit', onExit);
      child.on('message', (m: WorkerMessage) => {
        if (m.type !== 'ready') return;
        child.off('exit', onExit);
        done();
      });
    });
    this.#sampler = new ProcessSampler(child.pid ?? 0, sampleMs);
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.#log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  #ask(type: 'mark' | 'stats'): Promise<WorkerStats | undefined> {
    const child = this.#worker;
    if (!child?.connected) return Promise.resolve(undefined);
    if (type === 'mark') {
      child.send({ type });
      return Promise.resolve(undefined);
    }
    return new Promise((done) => {
      const on = (m: WorkerMessage): void => {
        if (m.type !== 'stats') return;
        child.off('message', on);
        done(m);
      };
      child.on('message', on);
      child.send({ type });
    });
  }

  /**
   * Waits until the whole backlog's results are in and reports the window from the first result to
   * the last — or, with `warmup`, from the result after the first `warmup` ones: a drain of seconds
   * otherwise measures the worker's start as much as its pace (the JIT compiling the hot path,
   * connections and caches filling). Fails when no result arrives for `stallMs`.
   */
  async drain(stallMs = 120_000, progress?: (done: number) => void, warmup = 0): Promise<Window> {
    this.#warmup = warmup;
    const marks = { sim: 0, broker: 0, wall: 0, queue: 0, self: process.cpuUsage() };
    const mark = (): void => {
      void this.#ask('mark');
      marks.sim = cpuSeconds(this.#ctx.sim.pid);
      marks.broker = this.#ctx.broker.pid ? cpuSeconds(this.#ctx.broker.pid) : 0;
      marks.queue = runQueueSeconds(this.pid);
      marks.self = process.cpuUsage();
      marks.wall = performance.now();
    };
    if (this.#windowStartMs === undefined) this.#onWindowStart = mark;
    else mark();
    await this.#until(
      () => this.#backlogDone >= this.#seen.length,
      stallMs,
      () => this.#backlogDone,
      progress,
    );
    return this.#window(this.#seen.length - Math.min(warmup, this.#seen.length - 1), marks);
  }

  async #window(
    results: number,
    marks: { sim: number; broker: number; wall: number; queue: number; self: NodeJS.CpuUsage },
  ): Promise<Window> {
    const wall = (performance.now() - marks.wall) / 1000;
    const queued = runQueueSeconds(this.pid) - marks.queue;
    const self = process.cpuUsage(marks.self);
    const worker = await this.#ask('stats');
    if (!worker) throw new Error('the worker process is gone');
    const seconds = Math.max(0.001, (this.#lastResultMs - (this.#windowStartMs ?? 0)) / 1000);
    return {
      results,
      seconds,
      perSecond: (results - 1) / seconds,
      worker,
      cores: {
        worker: worker.cpuSeconds / worker.wallSeconds,
        sim: (cpuSeconds(this.#ctx.sim.pid) - marks.sim) / wall,
        broker: this.#ctx.broker.pid ? (cpuSeconds(this.#ctx.broker.pid) - marks.broker) / wall : undefined,
        generator: (self.user + self.system) / 1e6 / wall,
      },
      workerRunQueue: queued / wall,
      loadAverage: loadavg()[0] ?? 0,
    };
  }

  async #until(done: () => boolean, stallMs: number, level: () => number, progress?: (n: number) => void): Promise<void> {
    let last = level();
    let lastChange = Date.now();
    let lastReport = Date.now();
    while (!done()) {
      await sleep(100);
      if (this.#worker?.exitCode !== null) throw new Error(`the ${this.#mode} worker exited:\n${this.logTail()}`);
      const now = level();
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > stallMs) {
        throw new Error(`no result for ${String(stallMs / 1000)} s (${String(now)} so far); worker log:\n${this.logTail()}`);
      }
      if (progress && Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        progress(now);
      }
    }
  }

  /**
   * Produces commands at a steady `rate` for `seconds` (each stamped when produced), then waits for
   * their results. `onSecond` is called once a second, e.g. to sample memory.
   */
  async pace(rate: number, seconds: number, onSecond?: (elapsedS: number) => void): Promise<void> {
    const topic = this.names.commands('gopay');
    const start = performance.now();
    let sent = 0;
    let lastSecond = 0;
    for (;;) {
      const elapsed = (performance.now() - start) / 1000;
      // Counted outside the optional call: `onSecond?.(++lastSecond)` skips the increment when there
      // is no callback, and the loop never ends.
      while (lastSecond < Math.floor(elapsed)) {
        lastSecond++;
        onSecond?.(lastSecond);
      }
      if (elapsed >= seconds) break;
      const due = Math.floor(rate * elapsed) - sent;
      if (due > 0) {
        const messages = [];
        for (let i = 0; i < due; i++) {
          const key = `${this.#tag}-p${String(this.#paced++)}`;
          this.#sentAt.set(key, Date.now());
          messages.push({ key, value: gopayCharge(key) });
        }
        sent += due;
        await this.#producer.send({ topic, acks: -1, messages });
      }
      await sleep(5);
    }
    await this.#until(
      () => this.#sentAt.size === 0,
      120_000,
      () => this.latencies.length,
    );
  }

  /** The worker's resident high-water mark so far (the kernel's VmHWM), MiB. */
  get hwmMb(): number {
    return this.#worker?.pid ? hwmMb(this.#worker.pid) : 0;
  }

  /** Stops the worker (SIGTERM: it drains), the reader, and deletes the run's topics. */
  async close(): Promise<void> {
    this.#sampler?.stop();
    const child = this.#worker;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(killed);
    }
    await this.#reader?.disconnect();
    await this.#producer.disconnect();
    const existing = new Set(await this.#ctx.admin.listTopics());
    const n = this.names;
    const topics = [n.commands('gopay'), n.dlq('gopay'), n.results, n.orderState].filter((t) => existing.has(t));
    await this.#ctx.admin.deleteTopics({ topics });
  }
}
