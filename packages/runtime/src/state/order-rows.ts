// The order-state index's own tables and the statements the store runs on them. Each order row names
// the state partition it was read from, so that a worker can drop a partition it no longer owns.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { OrderState } from './order-state.ts';
import { FIXED_PRAGMAS } from './index-tuning.ts';
import { STAGED_REFS_TABLE } from './staged-refs.ts';
import { SCHEDULE_TABLE } from './order-schedule.ts';
import { RETAINED_TABLES } from './retained-orders.ts';

// Orders are rows of a rowid table (appended in the order written) found through a small index of
// their ids: a B-tree of whole states keyed by random ids would take each write to a random large page.
// `waiting` is 1 for an order still waiting for its outcome (else null), so that a start finds those
// through a partial index instead of reading every order it ever held.
export const SCHEMA = `
  ${FIXED_PRAGMAS}
  CREATE TABLE IF NOT EXISTS orders (id TEXT NOT NULL UNIQUE, state TEXT NOT NULL, part INTEGER, waiting INTEGER);
  CREATE INDEX IF NOT EXISTS orders_waiting ON orders (id) WHERE waiting = 1;
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
  readonly waitingPage: StatementSync;
  readonly count: StatementSync;
}

export function orderStatements(db: DatabaseSync): OrderStatements {
  const p = (sql: string): StatementSync => db.prepare(sql);
  return {
    get: p('SELECT state FROM orders WHERE id = ?'),
    put: p(
      'INSERT INTO orders (id, state, part, waiting) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, part = excluded.part, waiting = excluded.waiting',
    ),
    del: p('DELETE FROM orders WHERE id = ?'),
    refGet: p('SELECT id FROM refs WHERE ref = ?'),
    refPut: p('INSERT INTO refs (ref, id) VALUES (?, ?) ON CONFLICT (ref) DO UPDATE SET id = excluded.id'),
    refDel: p('DELETE FROM refs WHERE ref = ? AND id = ?'),
    page: p('SELECT id, state FROM orders WHERE id > ? ORDER BY id LIMIT ?'),
    waitingPage: p('SELECT id, state FROM orders WHERE waiting = 1 AND id > ? ORDER BY id LIMIT ?'),
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

/** Every order `page` (id > ?, limit ?) finds, in order-id order, a page at a time: writes meanwhile never break the walk. */
export function* pagedOrders(page: StatementSync, limit: number): IterableIterator<[string, OrderState]> {
  let after = '';
  for (;;) {
    const rows = page.all(after, limit) as { id: string; state: string }[];
    for (const row of rows) yield [row.id, JSON.parse(row.state) as OrderState];
    const last = rows.at(-1);
    if (!last || rows.length < limit) return;
    after = last.id;
  }
}
