// Retention's tables in the order-state index: when each ended order's retention clock started (by
// command partition, so a worker reads only the orders of the partitions it owns), and the ids of the
// orders that left the state, remembered for a while so that a late command for one is refused rather
// than taken for a new order. Only ended orders are tracked: a waiting order is never retired.
import type { DatabaseSync } from 'node:sqlite';
import type { OrderState } from './order-state.ts';
import { TERMINAL } from './transitions.ts';
import { applyStaged, applyStagedInTurns } from './staged-rows.ts';

// Rows are appended in the order written and found by a small index of ids, as the orders are (order-store.ts).
// Rows are found by a small index of ids, as the orders are (order-store.ts). While the index restores,
// rows are staged in the order written and sorted in once caught up, as references are (staged-refs.ts).
export const RETAINED_TABLES = `
  CREATE TABLE IF NOT EXISTS retention (id TEXT NOT NULL UNIQUE, method TEXT NOT NULL, part INTEGER NOT NULL, settled INTEGER NOT NULL, since INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS retention_due ON retention (method, part, settled, since);
  CREATE TABLE IF NOT EXISTS retention_staged (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, method TEXT, part INTEGER, settled INTEGER, since INTEGER, keep INTEGER);
  CREATE TABLE IF NOT EXISTS retired (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS retired_at ON retired (at);
`;

/** Epoch ms before which an order's retention clock must have started for it to be due. */
export interface RetentionCutoffs {
  /** For a terminal order (failed, expired, canceled, refunded): now − retention. */
  readonly ended: number;
  /** For a `succeeded` order, which may still be refunded: now − refund window − retention. */
  readonly settled: number;
}

export interface RetainedOrders {
  /**
   * Follows an order's new state (`before`: its previous one): an ended order is tracked from its
   * `statusAt` (from `appliedAt` when it has none); a waiting one never is (no status moves back).
   */
  track(orderId: string, before: OrderState | undefined, state: OrderState, appliedAt: number): void;
  forget(orderId: string): void;
  /** From now on rows are staged (the index restores) until `unstage` sorts them in. */
  stage(): void;
  unstage(): void;
  /** Before `unstage`: what is staged so far, a slice per turn (staged-rows.ts); false when stopped first. */
  unstageInTurns(stopped: () => boolean): Promise<boolean>;
  /** Ended orders of one command partition whose retention is over, longest over first. */
  due(method: string, partition: number, cutoffs: RetentionCutoffs, limit: number): string[];
  /** Whether the order is (still) due: its state may have moved on since `due` named it. */
  isDue(orderId: string, cutoffs: RetentionCutoffs): boolean;
  /** Remembers that the order left the state at `at` (epoch ms). */
  retire(orderId: string, at: number): void;
  /** When the order left the state, if it did and is still remembered. */
  retiredAt(orderId: string): number | undefined;
  /** Forgets the orders that left before `before`; returns how many. */
  prune(before: number): number;
}

/** 1 for an order that may still be refunded, 0 for one that has ended for good; undefined for any other. */
function kindOf(state: OrderState | undefined): 0 | 1 | undefined {
  if (state?.status === 'succeeded') return 1;
  return state?.status !== undefined && TERMINAL.has(state.status) ? 0 : undefined;
}

interface Row {
  readonly id: string;
  readonly method: string | null;
  readonly part: number | null;
  readonly settled: number | null;
  readonly since: number | null;
  readonly keep: number | null;
}

const RETENTION_STAGED = { table: 'retention_staged', columns: 'id, method, part, settled, since, keep', order: 'id, seq' };

/** Retention's tables of `db` (made already); `write` opens the store's write transaction first. */
export function retainedOf(db: DatabaseSync, write: () => void): RetainedOrders {
  const p = (sql: string) => db.prepare(sql);
  const upsert = 'INSERT INTO retention (id, method, part, settled, since) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET';
  const set = p(`${upsert} method = excluded.method, part = excluded.part, settled = excluded.settled, since = excluded.since`);
  // Without a time of its own (an upgraded version 1 record) an order keeps the clock it was first tracked with.
  const keep = p(
    `${upsert} method = excluded.method, part = excluded.part, settled = excluded.settled, since = CASE WHEN retention.settled = excluded.settled THEN retention.since ELSE excluded.since END`,
  );
  const del = p('DELETE FROM retention WHERE id = ?');
  const staged = p('INSERT INTO retention_staged (id, method, part, settled, since, keep) VALUES (?, ?, ?, ?, ?, ?)');
  const due = p('SELECT id FROM retention WHERE method = ? AND part = ? AND settled = ? AND since <= ? ORDER BY since LIMIT ?');
  const one = p('SELECT settled, since FROM retention WHERE id = ?');
  const cutoff = (settled: number, c: RetentionCutoffs): number => (settled === 1 ? c.settled : c.ended);
  let staging = false;
  const apply = (r: Row): void => {
    if (r.settled === null) del.run(r.id);
    else (r.keep === 1 ? keep : set).run(r.id, r.method, r.part, r.settled, r.since);
  };
  const writeRow = (r: Row): void => {
    write();
    if (staging) staged.run(r.id, r.method, r.part, r.settled, r.since, r.keep);
    else apply(r);
  };
  return {
    track: (orderId, before, state, appliedAt) => {
      const kind = kindOf(state);
      if (kind === undefined || (kind === kindOf(before) && before?.statusAt === state.statusAt)) return;
      const since = state.statusAt === undefined ? Math.floor(appliedAt) : Date.parse(state.statusAt);
      const part = state.partition ?? 0;
      writeRow({ id: orderId, method: state.method ?? '', part, settled: kind, since, keep: state.statusAt === undefined ? 1 : 0 });
    },
    forget: (orderId) => writeRow({ id: orderId, method: null, part: null, settled: null, since: null, keep: null }),
    stage: () => (staging = true),
    unstageInTurns: (stopped) => applyStagedInTurns(db, RETENTION_STAGED, apply, stopped),
    unstage: () => {
      staging = false;
      write();
      applyStaged(db, RETENTION_STAGED, apply);
    },
    due: (method, partition, cutoffs, limit) => {
      const ids = [0, 1].flatMap((settled) =>
        (due.all(method, partition, settled, Math.floor(cutoff(settled, cutoffs)), limit) as { id: string }[]).map((r) => r.id),
      );
      return ids.slice(0, limit);
    },
    isDue: (orderId, cutoffs) => {
      const row = one.get(orderId) as { settled: number; since: number } | undefined;
      return row !== undefined && row.since <= cutoff(row.settled, cutoffs);
    },
    ...retiredIds(db, write),
  };
}

/** The ids of the orders that left the state, and when. */
function retiredIds(db: DatabaseSync, write: () => void): Pick<RetainedOrders, 'retire' | 'retiredAt' | 'prune'> {
  const retire = db.prepare('INSERT INTO retired (id, at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at');
  const retiredAt = db.prepare('SELECT at FROM retired WHERE id = ?');
  const prune = db.prepare('DELETE FROM retired WHERE at < ?');
  return {
    retire: (orderId, at) => {
      write();
      retire.run(orderId, Math.floor(at));
    },
    retiredAt: (orderId) => (retiredAt.get(orderId) as { at: number } | undefined)?.at,
    prune: (before) => {
      write();
      return Number(prune.run(Math.floor(before)).changes);
    },
  };
}

/** Records in the index's `meta` when it last applied something: an index idle past the tombstones' lifetime may have missed some. */
export function appliedStamp(db: DatabaseSync): (at: number) => void {
  const stamp = db.prepare("INSERT INTO meta (key, value) VALUES ('applied_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  return (at) => stamp.run(String(Math.floor(at)));
}
