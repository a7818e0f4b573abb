// Where a window's time went, in the terms a fix is made in: CPU per process, how busy the worker's
// event loop was, and the Kafka round trips each result cost.
import type { KafkaRequestStats } from './worker-process.ts';
import type { Window } from './run.ts';

const none: KafkaRequestStats = { count: 0, durationMs: 0, pendingMs: 0 };

export interface ResultCost {
  /** Produce requests per result, their mean time on the wire and mean wait in the client's queue (ms). */
  readonly produces: number;
  readonly produceMs: number;
  readonly producePendingMs: number;
  /** Produce requests the producer could answer per second, back to back (maxInFlightRequests = 1). */
  readonly produceCapPerSecond: number;
  readonly fetches: number;
  readonly commits: number;
  /** Fetches of the order-state follower, which reads back every state record the workers write. */
  readonly stateFetches: number;
}

export function resultCost(w: Window): ResultCost {
  const r = w.worker.requests;
  const produce = r['producer Produce'] ?? none;
  const fetch = r['consumer Fetch'] ?? none;
  const commit = r['consumer OffsetCommit'] ?? none;
  const stateFetch = r['state follower Fetch'] ?? none;
  const produceMs = produce.count ? produce.durationMs / produce.count : 0;
  return {
    produces: produce.count / w.results,
    produceMs,
    producePendingMs: produce.count ? produce.pendingMs / produce.count : 0,
    produceCapPerSecond: produceMs > 0 ? 1000 / produceMs : Number.POSITIVE_INFINITY,
    fetches: fetch.count / w.results,
    commits: commit.count / w.results,
    stateFetches: stateFetch.count / w.results,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;
const two = (x: number): string => x.toFixed(2);

/** Where the worker's peak resident memory was: V8's heap, or buffers outside it. */
export function describeMemory(w: Window): string {
  const p = w.worker.peakMemoryMb;
  return `peak RSS ${p.rss.toFixed(0)} MiB: V8 heap ${p.heapTotal.toFixed(0)} MiB reserved (${p.heapUsed.toFixed(0)} MiB used), external ${p.external.toFixed(0)} MiB (${p.arrayBuffers.toFixed(0)} MiB ArrayBuffers/Buffers)`;
}

/** One line: what each process used and what each result cost in Kafka round trips. */
export function describe(w: Window): string {
  const c = resultCost(w);
  const broker = w.cores.broker === undefined ? '' : `, broker ${two(w.cores.broker)}`;
  const cpuMs = (w.worker.cpuSeconds * 1000) / w.results;
  return (
    `CPU cores used: worker ${two(w.cores.worker)} (${two(cpuMs)} ms per result; event loop busy ${pct(w.worker.elu)}, of the window ${pct(w.workerRunQueue)} waiting for a CPU; JS heap ${w.worker.heapUsedMb.toFixed(0)} MiB at the end), simulator ${two(w.cores.sim)}${broker}, load generator ${two(w.cores.generator)}; machine load average ${w.loadAverage.toFixed(1)}; ` +
    `per result: ${two(c.produces)} Produce requests (${two(c.produceMs)} ms each on the wire, ${two(c.producePendingMs)} ms queued in the client before it), ` +
    `${two(c.fetches)} Fetch and ${two(c.commits)} OffsetCommit of commands, ${two(c.stateFetches)} Fetch of the order-state follower`
  );
}

/**
 * Why a window's rate is what it is: a worker whose event loop is (nearly) always busy is bound by
 * its own CPU per command; one that is mostly idle waits — on Midtrans or on Kafka round trips.
 */
export function explain(w: Window, cores: number): string {
  const c = resultCost(w);
  const cpuMs = (w.worker.cpuSeconds * 1000) / w.results;
  const others = `the simulator ${two(w.cores.sim)}${w.cores.broker === undefined ? '' : `, the broker ${two(w.cores.broker)}`} and the load generator ${two(w.cores.generator)} share the same ${String(cores)} cores (machine load average ${w.loadAverage.toFixed(1)})`;
  const kafka = `${two(c.produces)} Produce requests per result (${two(c.produceMs)} ms each)`;
  const machine = ` ${machineBound(w, cores)}`;
  if (w.worker.elu >= 0.9 && w.workerRunQueue >= 0.25) {
    return (
      `the worker is starved of CPU: its event loop was busy ${pct(w.worker.elu)} of the window, but for ${pct(w.workerRunQueue)} of it the thread was runnable and waiting for a core, so it got ${two(w.cores.worker)} of a core; ` +
      `it spent ${two(cpuMs)} ms of CPU per command — ≈ ${(1000 / cpuMs).toFixed(0)} commands/s on a core of its own — while ${others}. ${kafka}.${machine}`
    );
  }
  if (w.worker.elu >= 0.9) {
    return (
      `the worker is bound by its own CPU: its event loop was busy ${pct(w.worker.elu)} of the window, it spent ${two(cpuMs)} ms of CPU per command — at most ≈ ${(1000 / cpuMs).toFixed(0)} commands/s on a core of its own — ` +
      `and got ${two(w.cores.worker)} of a core while ${others}. Kafka round trips are not the limit: ${kafka}.${machine}`
    );
  }
  return `the worker waits more than it works: its event loop was busy ${pct(w.worker.elu)} of the window (${two(cpuMs)} ms of CPU per command); ${kafka}; ${others}.${machine}`;
}

/**
 * The ceiling the whole machine puts on the rate: every process of the run (worker, simulator,
 * broker, load generator) shares the same cores, so their CPU per command together bounds what any
 * worker, however fast, could reach here.
 */
export function machineBound(w: Window, cores: number): string {
  const used = w.cores.worker + w.cores.sim + (w.cores.broker ?? 0) + w.cores.generator;
  if (w.results === 0 || used === 0) return '';
  const msPerCommand = (used * w.seconds * 1000) / w.results;
  const worker = (w.cores.worker * w.seconds * 1000) / w.results;
  return (
    `All the processes of the run together spent ${two(msPerCommand)} ms of CPU per command (the worker ${two(worker)} of it), ` +
    `so these ${String(cores)} cores could carry at most ≈ ${((cores * 1000) / msPerCommand).toFixed(0)} commands/s; ` +
    `a worker costing nothing would still be held to ≈ ${((cores * 1000) / (msPerCommand - worker)).toFixed(0)} commands/s by the simulator, the broker and the load generator`
  );
}
