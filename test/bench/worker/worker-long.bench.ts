// The long worker benchmarks: the resident memory of a worker draining a backlog of a million
// commands, then a soak — a steady load for ten minutes at 60 % of the rate that drain achieved —
// reporting p99 latency per minute, its drift and the growth of the worker's RSS.
//
// They take a quarter of an hour or more, so `BENCH_QUICK=1 npm run bench` skips them and keeps the
// figures of their last run (docs/BENCHMARKS.md shows when each suite was measured).
// BENCH_BACKLOG (default 1,000,000), BENCH_SOAK_MINUTES (10) and BENCH_SOAK_RATE (commands/s,
// default 60 % of the drain rate) size them.
import { writeResult } from '../report.ts';
import { DEFAULT_CONNECTIONS, withContext } from './context.ts';
import { describe, describeMemory } from './diagnosis.ts';
import { cpuSeconds, rssMb } from './procfs.ts';
import { percentiles, Run, type BenchContext, type Window } from './run.ts';

const BACKLOG = Number(process.env['BENCH_BACKLOG'] ?? 1_000_000);
const SOAK_MINUTES = Number(process.env['BENCH_SOAK_MINUTES'] ?? 10);
const SOAK_SHARE = 0.6;

interface Drain {
  readonly window: Window;
  readonly hwmMb: number;
  readonly produced: number;
  /** Worker RSS as the results came in. */
  readonly series: { done: number; rssMb: number }[];
}

async function drainBacklog(ctx: BenchContext): Promise<Drain> {
  await ctx.sim.latency(0);
  const run = await Run.open(ctx, { mode: 'worker', partitions: 6, connectionsPerOrigin: DEFAULT_CONNECTIONS });
  try {
    const produced = await run.backlog(BACKLOG);
    console.log(`  backlog of ${BACKLOG.toLocaleString('en-US')} commands produced at ${produced.toFixed(0)} commands/s`);
    await run.startWorker(1000);
    const series: { done: number; rssMb: number }[] = [];
    const window = await run.drain(300_000, (done) => {
      const rss = rssMb(run.pid);
      series.push({ done, rssMb: rss });
      console.log(`    … ${done.toLocaleString('en-US')} results, worker RSS ${rss.toFixed(0)} MiB`);
    });
    const drain = { window, hwmMb: run.hwmMb, produced, series };
    console.log(`  drained at ${window.perSecond.toFixed(0)} commands/s; worker VmHWM ${drain.hwmMb.toFixed(0)} MiB`);
    console.log(`    ${describe(window)}`);
    console.log(`    ${describeMemory(window)}`);
    return drain;
  } finally {
    await run.close();
  }
}

interface Soak {
  readonly rate: number;
  readonly p99ByMinute: number[];
  readonly rssByMinute: number[];
  readonly sent: number;
  /** What each minute cost, so that a drift can be traced to the process that grew busier. */
  readonly byMinute: { answered: number; worker: number; sim: number; broker: number | undefined }[];
}

async function soak(ctx: BenchContext, rate: number): Promise<Soak> {
  await ctx.sim.latency(0);
  const run = await Run.open(ctx, { mode: 'worker', partitions: 6, connectionsPerOrigin: DEFAULT_CONNECTIONS });
  try {
    await run.startWorker(5000);
    const rssByMinute: number[] = [];
    const byMinute: Soak['byMinute'] = [];
    const brokerPid = ctx.broker.pid;
    const cpu = (): { worker: number; sim: number; broker: number | undefined; answered: number } => ({
      worker: cpuSeconds(run.pid),
      sim: cpuSeconds(ctx.sim.pid),
      broker: brokerPid === undefined ? undefined : cpuSeconds(brokerPid),
      answered: run.latencies.length,
    });
    let mark = cpu();
    const start = Date.now();
    await run.pace(rate, SOAK_MINUTES * 60, (s) => {
      if (s % 60 !== 0) return;
      rssByMinute.push(rssMb(run.pid));
      const now = cpu();
      const minute = {
        answered: now.answered - mark.answered,
        worker: (now.worker - mark.worker) / 60,
        sim: (now.sim - mark.sim) / 60,
        broker: now.broker === undefined || mark.broker === undefined ? undefined : (now.broker - mark.broker) / 60,
      };
      byMinute.push(minute);
      mark = now;
      const broker = minute.broker === undefined ? '' : `, broker ${minute.broker.toFixed(2)}`;
      console.log(
        `    minute ${String(s / 60)}: worker RSS ${(rssByMinute.at(-1) ?? 0).toFixed(0)} MiB; ${String(minute.answered)} answered; cores: worker ${minute.worker.toFixed(2)}, simulator ${minute.sim.toFixed(2)}${broker}`,
      );
    });
    const p99ByMinute = Array.from({ length: SOAK_MINUTES }, (_, m) => {
      const inMinute = run.latencies.filter((l) => Math.floor((l.sentAt - start) / 60_000) === m).map((l) => l.ms);
      return percentiles(inMinute).p99;
    });
    console.log(`  soak at ${String(rate)} commands/s: p99 by minute ${p99ByMinute.join(', ')} ms`);
    return { rate, p99ByMinute, rssByMinute, sent: run.latencies.length, byMinute };
  } finally {
    await run.close();
  }
}

async function main(): Promise<void> {
  if (process.env['BENCH_QUICK']) {
    console.log('  skipped (BENCH_QUICK): the figures of the last full run are kept');
    return;
  }
  const { drain, soaked } = await withContext(async (ctx) => {
    const d = await drainBacklog(ctx);
    const rate = Number(process.env['BENCH_SOAK_RATE'] ?? Math.round(d.window.perSecond * SOAK_SHARE));
    return { drain: d, soaked: await soak(ctx, rate) };
  });
  const first = soaked.p99ByMinute[0] ?? 0;
  const last = soaked.p99ByMinute.at(-1) ?? 0;
  const rssFirst = soaked.rssByMinute[0] ?? 0;
  const rssLast = soaked.rssByMinute.at(-1) ?? 0;
  const perHundredK = (drain.series.length > 1 ? slope(drain.series) : 0) * 100_000;
  writeResult({
    suite: 'worker-long',
    title: `Worker: a ${BACKLOG.toLocaleString('en-US')}-command backlog and a ${String(SOAK_MINUTES)}-minute soak`,
    figures: [
      {
        name: `worker RSS high-water mark (VmHWM) draining ${BACKLOG.toLocaleString('en-US')} commands`,
        unit: 'MiB',
        value: drain.hwmMb,
        runs: [drain.hwmMb],
        target: { maxValue: 250 },
        why: `${describeMemory(drain.window)}; RSS grew by ${perHundredK.toFixed(0)} MiB per 100,000 commands drained`,
      },
      {
        name: `throughput draining ${BACKLOG.toLocaleString('en-US')} commands, no Midtrans latency, 6 partitions`,
        unit: 'commands/s',
        value: drain.window.perSecond,
        runs: [drain.window.perSecond],
        target: { minValue: 2000 },
        why: describe(drain.window),
      },
      { name: `soak at ${String(soaked.rate)} commands/s: p99 latency, first minute`, unit: 'ms', value: first, runs: [first] },
      { name: `soak: p99 latency, minute ${String(SOAK_MINUTES)}`, unit: 'ms', value: last, runs: [last] },
      { name: 'soak: p99 drift, last minute − first', unit: 'ms', value: last - first, runs: [last - first] },
      {
        name: `soak: worker RSS growth, minute ${String(SOAK_MINUTES)} − minute 1`,
        unit: 'MiB',
        value: rssLast - rssFirst,
        runs: [rssLast - rssFirst],
      },
    ],
    notes: [
      `One run each (they take ${String(SOAK_MINUTES)} minutes and more): the backlog is produced before the worker starts (${drain.produced.toFixed(0)} commands/s, batches of 1,000), and the worker's VmRSS is read from /proc every second; the high-water mark is the kernel's VmHWM. Every command is a charge of a new order.`,
      `Worker RSS as results came in (results: MiB): ${drain.series.map((s) => `${(s.done / 1000).toFixed(0)}k: ${s.rssMb.toFixed(0)}`).join(', ')}.`,
      `The soak produces ${String(soaked.rate)} commands/s (${process.env['BENCH_SOAK_RATE'] ? 'BENCH_SOAK_RATE' : `${String(SOAK_SHARE * 100)} % of the drain rate above`}) for ${String(SOAK_MINUTES)} minutes, ${soaked.sent.toLocaleString('en-US')} commands in all, each stamped when produced; p99 by minute of production (ms): ${soaked.p99ByMinute.join(', ')}; worker RSS at the end of each minute (MiB): ${soaked.rssByMinute.map((r) => r.toFixed(0)).join(', ')}.`,
      `Each minute of the soak — results answered; CPU cores used by the worker, the simulator${soaked.byMinute[0]?.broker === undefined ? '' : ' and the broker'}: ${soaked.byMinute
        .map(
          (m, i) =>
            `${String(i + 1)}: ${m.answered.toLocaleString('en-US')}; ${m.worker.toFixed(2)}, ${m.sim.toFixed(2)}${m.broker === undefined ? '' : `, ${m.broker.toFixed(2)}`}`,
        )
        .join(' · ')}.`,
    ],
  });
}

/** Least-squares slope of RSS (MiB) over results drained. */
function slope(points: readonly { done: number; rssMb: number }[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.done, 0) / n;
  const my = points.reduce((a, p) => a + p.rssMb, 0) / n;
  const num = points.reduce((a, p) => a + (p.done - mx) * (p.rssMb - my), 0);
  const den = points.reduce((a, p) => a + (p.done - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

await main();
