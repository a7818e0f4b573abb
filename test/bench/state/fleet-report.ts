// The fleet's figures and notes (issue 15, part 4): the cold start of the third worker of a fleet set
// against the single worker's cold start of the same run (target ≤ 40 % of it), how long it took to
// hold every order of its partitions, and the local index each worker of the fleet keeps.
import { median, type BenchFigure } from '../report.ts';
import { mib } from './disk.ts';
import { FLEET_RELEASE_GRACE_MS, FLEET_SIZE } from './fleet.ts';
import type { SizeResult } from './measure-size.ts';
import type { WorkerView } from './fleet-watch.ts';

/** Issue 15: one worker of a fleet of three, on an empty disk, is ready in at most 40 % of a single worker's cold start. */
export const FLEET_COLD_START_TARGET = 0.4;

const thousands = (n: number): string => n.toLocaleString('en-US');
const seconds = (ms: number | undefined): string => (ms === undefined ? 'never (within the bound)' : `${(ms / 1000).toFixed(1)} s`);
const mb = (bytes: number): string => `${mib(bytes).toFixed(0)} MiB`;
const partitions = (v: WorkerView): string =>
  v.owned === undefined ? 'no partition logged' : `partitions ${v.owned.join(', ') || 'none'}`;
const known = (n: number | undefined): string => (n === undefined ? 'unknown' : thousands(n));
const list = (ps: readonly number[]): string => `[${ps.join(', ')}]`;

/**
 * Partitions one of the first two took over when the third joined: it restores them from the topic
 * while the third restores its own, on the same cores. Empty when the third only took partitions away.
 */
function takenOver(r: SizeResult): string {
  const moves = r.fleet.workers.flatMap((w, i) => {
    const taken = w.ownedBefore === undefined ? [] : (w.owned ?? []).filter((p) => !w.ownedBefore?.includes(p));
    return taken.length === 0 ? [] : [`worker ${String(i + 1)} took over ${list(taken)} from the other running worker`];
  });
  return moves.length === 0 ? 'the running workers only gave partitions up' : moves.join(' and ');
}

/** What the third worker did until /readyz 200, in a sentence: what it owned and held, and how long its restore took. */
function thirdWhy(r: SizeResult): string {
  const f = r.fleet;
  const t = f.third;
  const share = t.atReady.owned === undefined ? 0 : t.atReady.owned.reduce((sum, p) => sum + (f.perPartition[p] ?? 0), 0);
  return (
    `at /readyz 200 (${seconds(t.readyMs)}) the third worker had ${partitions(t.atReady)} (${thousands(share)} of the ${thousands(r.orders)} orders) ` +
    `and held ${known(t.atReady.ordersKnown)} orders; it held every order of its partitions ${seconds(t.restoredMs)} after its start, ` +
    `having used ${t.cpuSeconds.toFixed(1)} s of CPU and read ${mb(t.readBytes)}, against ${r.cold.cpuSeconds.toFixed(1)} s and ${mb(r.cold.readBytes)} ` +
    `for the single worker's cold start (${seconds(r.cold.ms)}); meanwhile ${takenOver(r)}; the 1-minute load average at its readiness was ${t.loadAtReady.toFixed(1)}`
  );
}

export function fleetFigures(r: SizeResult): BenchFigure[] {
  const n = `${thousands(r.orders)} orders`;
  const f = r.fleet;
  const baseline = { name: 'single worker cold start', value: r.cold.ms };
  const indexes = f.workers.map((w) => mib(w.indexBytes));
  return [
    {
      name: `cold start of one worker of a fleet of ${String(FLEET_SIZE)} on an empty index to /readyz 200 (the others running), ${n}`,
      unit: 'ms',
      value: f.third.readyMs,
      runs: [f.third.readyMs],
      baseline,
      target: { maxValue: FLEET_COLD_START_TARGET * r.cold.ms },
      why: thirdWhy(r),
    },
    ...(f.third.restoredMs === undefined
      ? []
      : [
          {
            name: `… to holding every order of the partitions it owns, ${n}`,
            unit: 'ms',
            value: f.third.restoredMs,
            runs: [f.third.restoredMs],
            baseline,
          },
        ]),
    {
      name: `local index of each worker of a fleet of ${String(FLEET_SIZE)} (du of its folder, once the fleet settled), ${n}`,
      unit: 'MiB',
      value: median(indexes),
      runs: indexes,
    },
  ];
}

export function fleetNote(r: SizeResult): string {
  const f = r.fleet;
  const workers = f.workers
    .map(
      (w, i) =>
        `worker ${String(i + 1)}: ${partitions(w)} (owned in turn: ${w.history.map(list).join(' → ') || 'none logged'}; evicted from its groups ${String(w.evictions)} times), ${known(w.ordersKnown)} orders, ` +
        `${mb(w.indexBytes)} (${(w.indexBytes / r.orders).toFixed(0)} bytes per order of the topic)`,
    )
    .join('; ');
  return (
    `${thousands(r.orders)} orders, fleet of ${String(FLEET_SIZE)} — orders per state partition: ${f.perPartition.map(thousands).join(', ')}. ` +
    `The first two were ready ${seconds(f.pair.readyMs)} after their start and had split the partitions and restored their halves ${seconds(f.pair.splitMs)} after it. ` +
    `The third: ${thirdWhy(r)}. The fleet settled (partitions split three ways, each worker holding exactly its partitions' orders, for 5 s) ${seconds(f.settledMs)} after the third's start. ` +
    `${f.settledMs === undefined ? 'At the bound' : 'Once settled'} — ${workers}.`
  );
}

export const FLEET_METHOD =
  `The fleet (issue 15, part 4): on the same topic, once the single worker stopped, ${String(FLEET_SIZE)} workers of one deployment (plugin gopay, ` +
  `each its own empty index, a released partition dropped after the default state.releaseGraceMs of ${String(FLEET_RELEASE_GRACE_MS / 1000)} s): two start at once; ` +
  'once their partitions split the topic and each holds exactly the orders of its half, the third starts and is timed from its spawn to its first /readyz 200 ' +
  '(asked every 50 ms), the figure set against the single worker’s cold start of the same run (target ≤ 40 % of it), and to holding every order of the ' +
  'partitions it owns (its last ‘order-state partitions owned’ log line against paystream_orders_known). Each worker’s index is measured with du once all three ' +
  'split the partitions and each holds exactly its own orders.';
