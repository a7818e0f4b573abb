// What each worker of a bench fleet holds of the order state, seen from outside as an operator sees
// it: the state partitions it owns (its last 'order-state partitions owned' log line) and the orders
// its index holds (paystream_orders_known). A worker has restored when it holds exactly the orders of
// its partitions; a fleet has settled when their partitions split the topic and each has restored
// (so each dropped what it released, after its drain timeout).
import { setTimeout as sleep } from 'node:timers/promises';
import { readLogLines, type WorkerFleet } from '@paystream/test-harness';

/** The worker's log message on every change of the state partitions it owns (issue 15, part 4). */
export const OWNED_LOG = 'order-state partitions owned';
/** How kafkajs logs a heartbeat or commit the group coordinator refused: the member was evicted from the group. */
const EVICTED_LOG = 'The coordinator is not aware of this member';

export interface WorkerView {
  /** The partitions of its last OWNED_LOG line (every partition when it logged 'all'); undefined before any. */
  readonly owned: readonly number[] | undefined;
  /** paystream_orders_known; undefined when its /metrics did not answer. */
  readonly ordersKnown: number | undefined;
}

export class FleetWatch {
  readonly #fleet: WorkerFleet;
  /** Orders per state partition, by partition number. */
  readonly #perPartition: readonly number[];

  constructor(fleet: WorkerFleet, perPartition: readonly number[]) {
    this.#fleet = fleet;
    this.#perPartition = perPartition;
  }

  /** The orders of `partitions`, as the topic holds them. */
  ordersOf(partitions: readonly number[]): number {
    return partitions.reduce((sum, p) => sum + (this.#perPartition[p] ?? 0), 0);
  }

  /** The partitions are read once the metrics answered: a worker whose event loop is busy answers late, and must not be judged by older partitions. */
  async view(i: number): Promise<WorkerView> {
    const ordersKnown = await this.#ordersKnown(i);
    return { owned: this.#owned(i), ordersKnown };
  }

  /** Whether the worker owns some partitions and holds exactly their orders. */
  restored(v: WorkerView): boolean {
    return v.owned !== undefined && v.owned.length > 0 && v.ordersKnown === this.ordersOf(v.owned);
  }

  /** Whether the workers' partitions are disjoint and cover the topic, and each worker restored its own. */
  split(views: readonly WorkerView[]): boolean {
    const all = views.flatMap((v) => v.owned ?? []);
    return views.every((v) => this.restored(v)) && all.length === this.#perPartition.length && new Set(all).size === all.length;
  }

  /**
   * Polls `workers` every `pollMs` until `done` holds of their views and keeps holding for `holdMs`;
   * returns when it began to hold, in ms since `from`, or undefined past `timeoutMs`.
   */
  async until(
    workers: readonly number[],
    done: (views: WorkerView[]) => boolean,
    from: number,
    timeoutMs: number,
    pollMs: number,
    holdMs = 0,
  ): Promise<number | undefined> {
    const deadline = performance.now() + timeoutMs;
    let since: number | undefined;
    while (performance.now() < deadline) {
      for (const i of workers) if (!this.#fleet.isAlive(i)) throw new Error(`fleet worker ${String(i)} exited`);
      const holds = done(await Promise.all(workers.map((i) => this.view(i))));
      const now = performance.now();
      since = holds ? (since ?? now) : undefined;
      if (since !== undefined && now - since >= holdMs) return since - from;
      await sleep(pollMs);
    }
    return undefined;
  }

  /** How often the group coordinator no longer knew the worker: evicted from a group, its heartbeats missed for a session timeout. */
  evictions(i: number): number {
    const slot = this.#fleet.slots[i];
    if (!slot) return 0;
    return readLogLines([slot.stdoutFile]).filter((l) => String(l.json?.['msg']).startsWith(EVICTED_LOG)).length;
  }

  /** Every set of partitions the worker said it owned, in order: a partition it took and gave back shows here. */
  history(i: number): (readonly number[])[] {
    const slot = this.#fleet.slots[i];
    if (!slot) return [];
    return readLogLines([slot.stdoutFile]).flatMap((l) => {
      if (l.json?.['msg'] !== OWNED_LOG) return [];
      const partitions = l.json['partitions'];
      if (partitions === 'all') return [this.#perPartition.map((_, p) => p)];
      return Array.isArray(partitions) ? [partitions.filter((p): p is number => typeof p === 'number')] : [];
    });
  }

  #owned(i: number): readonly number[] | undefined {
    return this.history(i).at(-1);
  }

  async #ordersKnown(i: number): Promise<number | undefined> {
    try {
      const line = (await this.#fleet.metrics(i)).split('\n').find((l) => l.startsWith('paystream_orders_known '));
      return line === undefined ? undefined : Number(line.split(' ')[1]);
    } catch {
      return undefined;
    }
  }
}
