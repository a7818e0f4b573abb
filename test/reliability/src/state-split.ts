// How a fleet split the order state, read back after the run: which state partitions each worker said
// it owned (its last 'order-state partitions owned' log line), and what its index holds (the `offsets`
// table's partitions, every order row's `part`), opened read-only once the worker has stopped.
import { join } from 'node:path';
import { loadSqlite, partitionOfKey } from '@paystream/runtime';
import { readLogLines, type PaystreamSystem } from '@paystream/test-harness';

/** The message of the line a worker logs whenever the state partitions it owns change. */
export const OWNERSHIP_MSG = 'order-state partitions owned';
/** The index file in a worker's PAYSTREAM_STATE_DIR (the runtime's state/index-dir.ts). */
const INDEX_FILE = 'orders.db';

export interface Ownership {
  readonly partitions: readonly number[];
  /** When it was logged (epoch ms). */
  readonly at: number;
}

/** Every ownership line of the slot's worker, across its starts, oldest first. */
export function ownershipLog(s: PaystreamSystem, slot: number): Ownership[] {
  const file = s.workers.slots[slot]?.stdoutFile;
  if (file === undefined) return [];
  return readLogLines([file]).flatMap(({ json }) => {
    if (json?.['msg'] !== OWNERSHIP_MSG || !Array.isArray(json['partitions'])) return [];
    return [{ partitions: json['partitions'].map(Number), at: Date.parse(String(json['time'])) }];
  });
}

/** What one worker's index holds. */
export interface IndexSplit {
  readonly slot: number;
  /** Partitions of the `offsets` table, sorted. */
  readonly offsets: readonly number[];
  /** Order id → the `part` its row names (null when the row names none). */
  readonly orders: ReadonlyMap<string, number | null>;
}

/** Reads a stopped worker's index without writing a byte of it. */
export function readIndex(s: PaystreamSystem, slot: number): IndexSplit {
  const db = new (loadSqlite().DatabaseSync)(join(s.dir, 'state', `worker-${String(slot)}`, INDEX_FILE), { readOnly: true });
  try {
    const offsets = (db.prepare('SELECT partition FROM offsets ORDER BY partition').all() as { partition: number }[]).map(
      (r) => r.partition,
    );
    const rows = db.prepare('SELECT id, part FROM orders').all() as { id: string; part: number | null }[];
    return { slot, offsets, orders: new Map(rows.map((r) => [r.id, r.part])) };
  } finally {
    db.close();
  }
}

/** The first few of a kind of problem, and how many there were. */
function some(what: string, items: readonly string[]): string[] {
  return items.length === 0 ? [] : [`${what} (${String(items.length)}): ${items.slice(0, 5).join('; ')}`];
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((p, i) => p === b[i]);

/**
 * Whatever keeps the indexes of the running workers from being a clean split of the state: partitions
 * held twice or by no one, an order filed under another partition than its key's or under a partition
 * its index does not hold, an order of the run in no index or in two, an index that disagrees with what
 * its worker last logged owning. Empty when the split is clean.
 */
export function splitProblems(
  indexes: readonly IndexSplit[],
  logged: ReadonlyMap<number, readonly number[] | undefined>,
  { partitions, orderIds }: { readonly partitions: number; readonly orderIds: readonly string[] },
): string[] {
  const holders = new Map<number, number[]>();
  for (const x of indexes) for (const p of x.offsets) holders.set(p, [...(holders.get(p) ?? []), x.slot]);
  const all = Array.from({ length: partitions }, (_, p) => p);
  const problems = [
    ...some(
      'partitions in more than one index',
      [...holders].filter(([, slots]) => slots.length > 1).map(([p, slots]) => `${String(p)} in workers ${slots.join(', ')}`),
    ),
    ...some('partitions in no index', all.filter((p) => !holders.has(p)).map(String)),
  ];
  const where = new Map<string, number[]>();
  for (const x of indexes) {
    const own = new Set(x.offsets);
    const stray: string[] = [];
    const misfiled: string[] = [];
    for (const [id, part] of x.orders) {
      where.set(id, [...(where.get(id) ?? []), x.slot]);
      if (part === null || !own.has(part)) stray.push(`${id} (part ${String(part)})`);
      else if (part !== partitionOfKey(id, partitions))
        misfiled.push(`${id} (part ${String(part)}, key's ${String(partitionOfKey(id, partitions))})`);
    }
    const name = `worker ${String(x.slot)} (offsets ${x.offsets.join(',') || 'none'})`;
    problems.push(
      ...some(`${name}: orders outside its partitions`, stray),
      ...some(`${name}: orders under another partition than their key's`, misfiled),
    );
    const said = logged.get(x.slot);
    if (said === undefined) problems.push(`${name}: never logged '${OWNERSHIP_MSG}'`);
    else if (
      !same(
        [...said].sort((a, b) => a - b),
        x.offsets,
      )
    )
      problems.push(`${name}: last logged owning ${said.join(',') || 'none'}`);
  }
  problems.push(
    ...some(
      "the run's orders in no index",
      orderIds.filter((id) => !where.has(id)).map((id) => `${id} (partition ${String(partitionOfKey(id, partitions))})`),
    ),
    ...some(
      'orders in more than one index',
      [...where].filter(([, slots]) => slots.length > 1).map(([id, slots]) => `${id} in workers ${slots.join(', ')}`),
    ),
  );
  return problems;
}

/** A counter's value summed over its series whose labels include `label` (e.g. `outcome="handed-over"`). */
export function counter(metrics: string, name: string, label: string): number {
  return metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.slice(0, l.indexOf('}')).includes(label))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
