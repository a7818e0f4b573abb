// One size of the state suite: a fresh deployment (topic prefix) whose state topic holds N paid
// orders, one worker cold-started on an empty index, then stopped (SIGTERM) and started again on the
// same index — whatever the code does with it — and what the topic and the index take on disk; then a
// fleet of three on the same topic (fleet.ts).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { topology } from '@paystream/runtime';
import type { BenchContext } from '../worker/run.ts';
import { diskUsage, inodes, topicDiskUsage } from './disk.ts';
import { fillStateTopic, type Fill } from './fill.ts';
import { measureFleet, type FleetResult } from './fleet.ts';
import { StateWorker, type StartMeasure } from './state-worker.ts';

export interface SizeResult {
  readonly orders: number;
  readonly fill: Fill;
  /** The state topic on the broker's disk; undefined for a broker given by KAFKA_BROKERS. */
  readonly brokerBytes: number | undefined;
  readonly cold: StartMeasure;
  /** The index folder once the cold-started worker was ready, once it had stopped, and once restarted. */
  readonly index: { readonly ready: number; readonly stopped: number; readonly restarted: number };
  /** SIGTERM to the process' exit. */
  readonly stopMs: number;
  readonly warm: StartMeasure;
  /** Files of the stopped worker's index folder, and those the restarted worker still had under the same inode. */
  readonly indexFiles: { readonly before: readonly string[]; readonly kept: readonly string[] };
  /** A fleet of three on the same topic, once the single worker stopped. */
  readonly fleet: FleetResult;
}

/** Generous: a cold start replays the whole topic (issue 15 measured 28 s per million orders). */
const readyTimeoutMs = (orders: number): number => 120_000 + orders * 0.2;

const thousands = (n: number): string => n.toLocaleString('en-US');

export async function measureSize(ctx: BenchContext, orders: number): Promise<SizeResult> {
  const tag = `st${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const names = topology(`${tag}.`);
  const stateDir = join(ctx.dir, tag, 'index');
  try {
    console.log(`  ${thousands(orders)} orders: filling ${names.orderState}`);
    const fill = await fillStateTopic(ctx.kafka, ctx.admin, names.orderState, tag, orders);
    console.log(
      `    written in ${fill.seconds.toFixed(1)} s: ${fill.perSecond.toFixed(0)} records/s, ${fill.valueBytes.toFixed(0)} bytes a value`,
    );
    const brokerBytes = ctx.broker.home === undefined ? undefined : topicDiskUsage(ctx.broker.home, names.orderState);
    const worker = await StateWorker.create(ctx, names.prefix, stateDir, join(ctx.dir, tag));
    try {
      const cold = await worker.start(readyTimeoutMs(orders));
      console.log(`    cold start (empty index): ready in ${(cold.ms / 1000).toFixed(1)} s, ${String(cold.ordersKnown)} orders known`);
      if (cold.ordersKnown !== undefined && cold.ordersKnown < orders)
        console.warn(`    the worker was ready knowing ${thousands(cold.ordersKnown)} orders of the ${thousands(orders)} in the topic`);
      const ready = diskUsage(stateDir);
      const stopMs = await worker.stop();
      const stopped = diskUsage(stateDir);
      const before = inodes(stateDir);
      const warm = await worker.start(readyTimeoutMs(orders));
      const after = inodes(stateDir);
      const kept = [...before].filter(([name, ino]) => after.get(name) === ino).map(([name]) => name);
      console.log(
        `    warm restart: stopped in ${(stopMs / 1000).toFixed(1)} s, ready ${(warm.ms / 1000).toFixed(1)} s after its start; index files kept: ${kept.join(', ') || 'none'}`,
      );
      const restarted = diskUsage(stateDir);
      // The single worker's index goes before the fleet fills three of its own: at ten million orders, gigabytes each.
      await worker.stop();
      rmSync(stateDir, { recursive: true, force: true });
      const fleet = await measureFleet(ctx, names.prefix, names.orderState, join(ctx.dir, tag, 'fleet'), readyTimeoutMs(orders));
      return {
        orders,
        fill,
        brokerBytes,
        cold,
        index: { ready, stopped, restarted },
        stopMs,
        warm,
        indexFiles: { before: [...before.keys()], kept },
        fleet,
      };
    } finally {
      await worker.stop();
    }
  } finally {
    // Each size's topics go at once: ten million orders take gigabytes of the broker's disk.
    const topics = (await ctx.admin.listTopics()).filter((t) => t.startsWith(names.prefix));
    if (topics.length > 0) await ctx.admin.deleteTopics({ topics });
    rmSync(join(ctx.dir, tag), { recursive: true, force: true });
  }
}
