// A fleet of three `paystream worker`s on one size's state topic (issue 15, part 4): two start at once
// on empty indexes and share the restore; once their partitions split the topic, a third starts on an
// empty index and is timed from its spawn to /readyz 200 — the figure set against a single worker's
// cold start — and to holding every order of the partitions it took over. Then, once the others
// dropped what they released (after their drain timeout, short here), what each index takes on disk.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { WorkerFleet } from '@paystream/test-harness';
import type { BenchContext } from '../worker/run.ts';
import { cpuSeconds } from '../worker/procfs.ts';
import { diskUsage } from './disk.ts';
import { FleetWatch, type WorkerView } from './fleet-watch.ts';
import { STATE_PARTITIONS } from './order-records.ts';
import { readBytes } from './state-worker.ts';

export const FLEET_SIZE = 3;
/** How long SIGTERM waits for in-flight commands: short, the fleet takes no commands here. */
export const FLEET_DRAIN_TIMEOUT_MS = 2000;
/** How long a worker keeps a released partition before it drops it: the default (state.releaseGraceMs), as deployed. */
export const FLEET_RELEASE_GRACE_MS = 300_000;
/** How often /readyz and the fleet's state are asked: the resolution of every fleet figure. */
const POLL_MS = 50;
/** How long a split must hold to count: longer than a heartbeat round, so a rebalance in progress shows. */
const STABLE_MS = 5000;

export interface FleetWorker {
  readonly owned: readonly number[] | undefined;
  readonly ordersKnown: number | undefined;
  /** Each set of partitions it said it owned, in order. */
  readonly history: readonly (readonly number[])[];
  /** Times a group coordinator had evicted it (kafkajs: 'The coordinator is not aware of this member'), over its life. */
  readonly evictions: number;
  /** For the first two: what each owned once they split the topic, before the third came. */
  readonly ownedBefore?: readonly number[] | undefined;
  /** du of its index folder once the fleet settled (or gave up settling). */
  readonly indexBytes: number;
}

export interface FleetResult {
  /** Orders per state partition, as the topic holds them (its end offsets). */
  readonly perPartition: readonly number[];
  /** The first two, from their spawn: both at /readyz 200, and both holding the orders of the halves they split (undefined: not within the bound). */
  readonly pair: { readonly readyMs: number; readonly splitMs: number | undefined };
  /** The third worker, from its spawn. */
  readonly third: {
    readonly readyMs: number;
    /** What it owned and held at /readyz 200. */
    readonly atReady: WorkerView;
    /** To holding exactly the orders of the partitions it owns; undefined when it did not within the bound. */
    readonly restoredMs: number | undefined;
    /** CPU (user + system) and bytes read until it restored (or, failing that, until ready). */
    readonly cpuSeconds: number;
    readonly readBytes: number;
    /** The machine's 1-minute load average at its /readyz 200 (every process, not only the fleet's). */
    readonly loadAtReady: number;
  };
  /** The third's spawn to all three split and restored, each having dropped what it released; undefined: not within the bound. */
  readonly settledMs: number | undefined;
  readonly workers: readonly FleetWorker[];
}

/** Runs the fleet of `FLEET_SIZE` on the deployment `topicPrefix`, whose state topic `stateTopic` is filled; `dir` holds its indexes and logs. */
export async function measureFleet(
  ctx: BenchContext,
  topicPrefix: string,
  stateTopic: string,
  dir: string,
  readyTimeoutMs: number,
): Promise<FleetResult> {
  const ends = await ctx.admin.fetchTopicOffsets(stateTopic);
  const perPartition = Array.from({ length: ends.length }, (_, p) => {
    const end = ends.find((e) => e.partition === p);
    return end === undefined ? 0 : Number(end.high) - Number(end.low);
  });
  const fleet = await WorkerFleet.create({
    dir,
    descriptorPath: ctx.sim.descriptor,
    brokers: ctx.broker.brokers,
    topicPrefix,
    size: FLEET_SIZE,
    plugins: ['gopay'],
    // No PAYSTREAM_STATE_DIR: each slot keeps its index in a folder of its own under `dir`.
    env: {
      PAYSTREAM_PARTITIONS: String(STATE_PARTITIONS),
      PAYSTREAM_DRAIN_TIMEOUT_MS: String(FLEET_DRAIN_TIMEOUT_MS),
      PAYSTREAM_STATE_RELEASE_GRACE_MS: String(FLEET_RELEASE_GRACE_MS),
    },
  });
  const watch = new FleetWatch(fleet, perPartition);
  const last = FLEET_SIZE - 1;
  const first = Array.from({ length: last }, (_, i) => i);
  try {
    const pairStart = performance.now();
    for (const i of first) fleet.start(i);
    for (const i of first) await fleet.waitReady(i, readyTimeoutMs, POLL_MS);
    const pairReadyMs = performance.now() - pairStart;
    const settleMs = readyTimeoutMs + FLEET_RELEASE_GRACE_MS;
    const splitMs = await watch.until(first, (v) => watch.split(v), pairStart, readyTimeoutMs + settleMs, POLL_MS, STABLE_MS);
    const ownedBefore = await Promise.all(first.map(async (i) => (await watch.view(i)).owned));
    console.log(
      `    fleet: two workers ready in ${(pairReadyMs / 1000).toFixed(1)} s, ` +
        (splitMs === undefined ? 'their partitions never split the topic' : `split and restored in ${(splitMs / 1000).toFixed(1)} s`),
    );

    const started = performance.now();
    fleet.start(last);
    await fleet.waitReady(last, readyTimeoutMs, POLL_MS);
    const readyMs = performance.now() - started;
    const pid = fleet.slots[last]?.process?.pid ?? 0;
    const costAtReady = { cpuSeconds: cpuSeconds(pid), readBytes: readBytes(pid) };
    const loadAtReady = loadavg()[0] ?? 0;
    const atReady = await watch.view(last);
    const restoredMs = await watch.until([last], ([v]) => v !== undefined && watch.restored(v), started, readyTimeoutMs, POLL_MS);
    const cost = restoredMs === undefined ? costAtReady : { cpuSeconds: cpuSeconds(pid), readBytes: readBytes(pid) };
    const all = [...first, last];
    const settledMs = await watch.until(all, (v) => watch.split(v), started, settleMs, POLL_MS, STABLE_MS);
    const workers = await Promise.all(
      all.map(async (i) => ({
        ...(await watch.view(i)),
        history: watch.history(i),
        evictions: watch.evictions(i),
        ...(i < last ? { ownedBefore: ownedBefore[i] } : {}),
        indexBytes: diskUsage(join(dir, 'state', `worker-${String(i)}`)),
      })),
    );
    const s = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
    console.log(
      `    fleet: third worker ready in ${s(readyMs)} (owning ${JSON.stringify(atReady.owned)}, ${String(atReady.ordersKnown)} orders), ` +
        `restored in ${s(restoredMs)}; fleet settled ${s(settledMs)} after its start; ` +
        `indexes ${workers.map((w) => `${(w.indexBytes / 2 ** 20).toFixed(0)} MiB (${String(w.ordersKnown)} orders, ${JSON.stringify(w.owned)})`).join(', ')}`,
    );
    return {
      perPartition,
      pair: { readyMs: pairReadyMs, splitMs },
      third: { readyMs, atReady, restoredMs, ...cost, loadAtReady },
      settledMs,
      workers,
    };
  } finally {
    await fleet.stopAll(30_000);
  }
}
