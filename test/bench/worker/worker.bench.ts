// The worker end to end — commands pre-produced to Kafka, the worker in its own process calling the
// simulator (its own process too), signed results back on Kafka — beside the naive baseline: the
// same Dispatcher and GoPay plugin behind kafkajs `eachMessage`, one command at a time. Each round
// runs the worker and the baseline back to back, so every ratio compares runs minutes apart.
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { median, writeResult, type BenchFigure } from '../report.ts';
import { DEFAULT_CONNECTIONS, RUNS, SLOW_CONNECTIONS, withContext } from './context.ts';
import { describe, describeMemory, explain } from './diagnosis.ts';
import { readProfile, shares, top } from './profile-summary.ts';
import { percentiles, Run, type BenchContext, type Window } from './run.ts';
import { WORKER_NODE_FLAGS } from '@paystream/worker';

interface Sample {
  readonly window: Window;
  readonly p50?: number;
  readonly p99?: number;
  readonly hwmMb: number;
}

interface Scenario {
  readonly name: string;
  readonly mode: 'worker' | 'naive';
  readonly partitions: number;
  readonly latencyMs: number;
  readonly connections: number;
  readonly backlog: number;
  /** Results of the backlog before its throughput window opens (see Run.drain). */
  readonly warmup: number;
  /** After the backlog, a steady load at this share of the measured rate, to read latency. */
  readonly pacedShare?: number;
  readonly pacedSeconds?: number;
}

const scenarios = {
  fast: {
    name: 'worker, no Midtrans latency, 6 partitions',
    mode: 'worker',
    partitions: 6,
    latencyMs: 0,
    connections: DEFAULT_CONNECTIONS,
    backlog: 50_000,
    warmup: 10_000,
    pacedShare: 0.5,
    pacedSeconds: 15,
  },
  fastNaive: {
    name: 'naive eachMessage, no Midtrans latency, 6 partitions',
    mode: 'naive',
    partitions: 6,
    latencyMs: 0,
    connections: DEFAULT_CONNECTIONS,
    backlog: 2_000,
    warmup: 400,
  },
  slow: {
    name: 'worker, 100 ms Midtrans latency, 1 partition',
    mode: 'worker',
    partitions: 1,
    latencyMs: 100,
    connections: SLOW_CONNECTIONS,
    backlog: 20_000,
    warmup: 4_000,
    pacedShare: 0.5,
    pacedSeconds: 15,
  },
  slowNaive: {
    name: 'naive eachMessage, 100 ms Midtrans latency, 1 partition',
    mode: 'naive',
    partitions: 1,
    latencyMs: 100,
    connections: SLOW_CONNECTIONS,
    backlog: 200,
    warmup: 40,
  },
} as const satisfies Record<string, Scenario>;

async function measure(ctx: BenchContext, s: Scenario, profileDir?: string): Promise<Sample & { profile?: string }> {
  await ctx.sim.latency(s.latencyMs);
  const run = await Run.open(ctx, { mode: s.mode, partitions: s.partitions, connectionsPerOrigin: s.connections });
  try {
    await run.backlog(s.backlog);
    await run.startWorker(1000, profileDir);
    const window = await run.drain(120_000, (n) => console.log(`    … ${String(n)} / ${String(s.backlog)}`), s.warmup);
    let latency: { p50: number; p99: number } | undefined;
    if (s.pacedShare && s.pacedSeconds && !profileDir) {
      await run.pace(Math.max(1, Math.round(window.perSecond * s.pacedShare)), s.pacedSeconds);
      latency = percentiles(run.latencies.map((l) => l.ms));
    }
    const sample = { window, hwmMb: run.hwmMb, ...latency, ...(run.profile ? { profile: run.profile } : {}) };
    console.log(
      `  ${s.name}${profileDir ? ' (profiled)' : ''}: ${window.perSecond.toFixed(0)} commands/s${latency ? `, p50 ${String(latency.p50)} ms, p99 ${String(latency.p99)} ms` : ''}, RSS peak ${sample.hwmMb.toFixed(0)} MiB`,
    );
    console.log(`    ${describe(window)}`);
    console.log(`    ${describeMemory(window)}`);
    return sample;
  } finally {
    await run.close();
  }
}

/** One more drain of `s` with the worker profiled (no figure comes from it), summarised. */
async function profiled(ctx: BenchContext, s: Scenario): Promise<string> {
  const { profile } = await measure(ctx, s, mkdtempSync(join(ctx.dir, 'profile-')));
  if (!profile || !existsSync(profile)) return `No CPU profile was written for ${s.name}.`;
  const p = shares(readProfile(profile));
  return `CPU profile of an extra run, ${s.name} (self time; Node internals count for the package calling them): ${top(p.areas, 8)}; hottest functions: ${top(p.functions, 6)}.`;
}

/** The sample whose throughput is the median one, to describe where its time went. */
function medianSample(samples: readonly Sample[]): Sample {
  const sorted = [...samples].sort((a, b) => a.window.perSecond - b.window.perSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? (samples[0] as Sample);
}

function figure(name: string, unit: string, values: number[], extra: Partial<BenchFigure> = {}): BenchFigure {
  return { name, unit, value: median(values), runs: values, ...extra };
}

async function main(): Promise<void> {
  const samples = { fast: [] as Sample[], fastNaive: [] as Sample[], slow: [] as Sample[], slowNaive: [] as Sample[] };
  const profiles = await withContext(async (ctx) => {
    // The broker (a JVM) and the simulator live through every round, so round 1 would otherwise also
    // time their JIT warming up: one drain first, whose figures are thrown away.
    console.log('  warm-up drain of the broker and the simulator (no figure comes from it)');
    const { pacedShare: _share, pacedSeconds: _seconds, ...unpaced } = scenarios.fast;
    await measure(ctx, { ...unpaced, name: 'warm-up drain', backlog: 20_000, warmup: 4_000 });
    for (let r = 1; r <= RUNS; r++) {
      console.log(`  round ${String(r)} of ${String(RUNS)}`);
      for (const key of ['fast', 'fastNaive', 'slow', 'slowNaive'] as const) samples[key].push(await measure(ctx, scenarios[key]));
    }
    return [await profiled(ctx, scenarios.fast), await profiled(ctx, scenarios.slow)];
  });
  const rate = (xs: Sample[]): number[] => xs.map((x) => x.window.perSecond);
  const cores = cpus().length;
  const fast = medianSample(samples.fast).window;
  const slow = medianSample(samples.slow).window;
  const slowNaive = medianSample(samples.slowNaive).window;
  writeResult({
    suite: 'worker',
    title: 'Worker: commands → Midtrans → signed results, end to end',
    figures: [
      figure(
        `throughput, ${scenarios.fast.name}, ${String(scenarios.fast.backlog)}-command backlog after ${String(scenarios.fast.warmup)} to warm up`,
        'commands/s',
        rate(samples.fast),
        {
          baseline: { name: scenarios.fastNaive.name, value: median(rate(samples.fastNaive)) },
          target: { minValue: 2000 },
          why: explain(fast, cores),
        },
      ),
      figure(
        'command→result latency p50, no Midtrans latency, at 50 % of that throughput',
        'ms',
        samples.fast.map((s) => s.p50 ?? 0),
      ),
      figure(
        'command→result latency p99, no Midtrans latency, at 50 % of that throughput',
        'ms',
        samples.fast.map((s) => s.p99 ?? 0),
      ),
      figure(
        `throughput, ${scenarios.slow.name}, ${String(scenarios.slow.backlog)}-command backlog after ${String(scenarios.slow.warmup)} to warm up`,
        'commands/s',
        rate(samples.slow),
        {
          baseline: { name: scenarios.slowNaive.name, value: median(rate(samples.slowNaive)) },
          target: { minValue: 1000 },
          why: explain(slow, cores),
        },
      ),
      figure(
        'command→result latency p50, 100 ms Midtrans latency, at 50 % of that throughput',
        'ms',
        samples.slow.map((s) => s.p50 ?? 0),
      ),
      figure(
        'command→result latency p99, 100 ms Midtrans latency, at 50 % of that throughput',
        'ms',
        samples.slow.map((s) => s.p99 ?? 0),
      ),
      figure(
        `worker RSS high-water mark (VmHWM), ${String(scenarios.fast.backlog)}-command drain and the paced load after it`,
        'MiB',
        samples.fast.map((s) => s.hwmMb),
      ),
    ],
    notes: [
      `Each round drains a pre-produced backlog of GoPay charges (each a new order) with the worker (\`runWorker\`, maxInFlight 256) and with the naive baseline, each in a fresh process on fresh topics; throughput counts results on the results topic (broker append time) from the one after the first fifth of the backlog to the last, so start-up, the group join and the JIT's first compilations are left out of both. The broker and the simulator serve every round; a 20,000-command drain before round 1, not counted, warms them up. Latency is measured afterwards on the same worker under a steady load at half the rate it drained at: the results topic's append time minus the command's \`requestedAt\`, stamped when the command was produced. The simulator and the Kafka broker run as their own processes on the same ${String(cores)} cores.`,
      `Both the worker and the baseline run in processes started with the flags \`paystream worker\` runs with (\`WORKER_NODE_FLAGS\`: ${WORKER_NODE_FLAGS.join(' ')}). Every diagnosis gives the worker's CPU per result and the share of the window its event-loop thread was runnable but waiting for a core (/proc/PID/schedstat): the event loop counts that wait as busy, so "busy 99 %" on half a core means the worker was starved by the other processes on the machine (the load average is given), not blocked.`,
      `With 100 ms Midtrans latency the worker is configured with \`http.connectionsPerOrigin\` = ${String(SLOW_CONNECTIONS)} (one per command in flight): the default ${String(DEFAULT_CONNECTIONS)} would cap 100 ms calls at 640 calls/s. Without latency the default is kept.`,
      `Where the time went, median run without Midtrans latency — ${describe(fast)}. ${describeMemory(fast)}.`,
      `Median run with 100 ms Midtrans latency — ${describe(slow)}. ${describeMemory(slow)}.`,
      `Naive baseline with 100 ms Midtrans latency — ${describe(slowNaive)}: one command at a time, so each costs a Midtrans round trip plus an acknowledged write.`,
      ...profiles,
    ],
  });
}

await main();
