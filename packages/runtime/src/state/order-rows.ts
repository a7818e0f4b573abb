// The order-state index's own tables and the statements the store runs on them. Each order row names
// the state partition it was read from, so that a worker can drop a partition it no longer owns.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { FIXED_PRAGMAS } from './index-tuning.ts';
import { STAGED_REFS_TABLE } from './staged-refs.ts';
import { SCHEDULE_TABLE } from './order-schedule.ts';
import { RETAINED_TABLES } from './retained-orders.ts';

// Orders are rows of a rowid table (appended in the order written) found through a small index of
// their ids: a B-tree of whole states keyed by random ids would take each write to a random large page.
export const SCHEMA = `
  ${FIXED_PRAGMAS}
  CREATE TABLE IF NOT EXISTS orders (id TEXT NOT NULL UNIQUE, state TEXT NOT NULL, part INTEGER);
  CREATE TABLE IF NOT EXISTS refs (ref TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
  ${STAGED_REFS_TABLE}
  ${SCHEDULE_TABLE}
  ${RETAINED_TABLES}
`;

export interface OrderStatements {
  readonly get: StatementSync;
  readonly put: StatementSync;
  readonly del: StatementSync;
  readonly refGet: StatementSync;
  readonly refPut: StatementSync;
  readonly refDel: StatementSync;
  readonly page: StatementSync;
  readonly count: StatementSync;
}

export function orderStatements(db: DatabaseSync): OrderStatements {
  const p = (sql: string): StatementSync => db.prepare(sql);
  return {
    get: p('SELECT state FROM orders WHERE id = ?'),
    put: p(
      'INSERT INTO orders (id, state, part) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, part = excluded.part',
    ),
    del: p('DELETE FROM orders WHERE id = ?'),
    refGet: p('SELECT id FROM refs WHERE ref = ?'),
    refPut: p('INSERT INTO refs (ref, id) VALUES (?, ?) ON CONFLICT (ref) DO UPDATE SET id = excluded.id'),
    refDel: p('DELETE FROM refs WHERE ref = ? AND id = ?'),
    page: p('SELECT id, state FROM orders WHERE id > ? ORDER BY id LIMIT ?'),
    count: p('SELECT count(*) AS n FROM orders'),
  };
}

/** The next orders of a state partition after `afterRowid`, in the order written; a walk that needs no index on the partition. */
export function partitionPage(
  db: DatabaseSync,
  partition: number,
  afterRowid: number,
  limit: number,
): { rowid: number; id: string; state: string }[] {
  return db
    .prepare('SELECT rowid, id, state FROM orders WHERE rowid > ? AND part = ? ORDER BY rowid LIMIT ?')
    .all(afterRowid, partition, limit) as { rowid: number; id: string; state: string }[];
}
