// Sorting staged rows into their tables at the end of a restore takes seconds per million orders: done
// in one go it would hold the event loop — and the consumer groups' heartbeats — that long. The rows
// staged so far are applied in their sorted order a slice per turn of the event loop; rows staged
// meanwhile wait for the next pass. A pass stopped halfway leaves its rows staged: applying a row
// again, in its order, leaves what applying it once left.
import type { DatabaseSync } from 'node:sqlite';

const ROWS_PER_TURN = 20_000;

interface Staged {
  readonly table: string;
  readonly columns: string;
  readonly order: string;
}

/** Applies every row of `table`, in `order`, at once, and empties it. */
export function applyStaged(db: DatabaseSync, { table, columns, order }: Staged, apply: (row: never) => void): void {
  for (const row of db.prepare(`SELECT ${columns} FROM ${table} ORDER BY ${order}`).iterate()) apply(row as never);
  db.exec(`DELETE FROM ${table}`);
}

/** Applies the rows of `table` staged so far, in `order`, a slice per turn; false when `stopped` first. */
export async function applyStagedInTurns(
  db: DatabaseSync,
  staged: Staged,
  /** Takes a row of `columns` (typed by the caller). */
  apply: (row: never) => void,
  stopped: () => boolean,
): Promise<boolean> {
  const { table, columns, order } = staged;
  const last = (db.prepare(`SELECT max(seq) AS m FROM ${table}`).get() as { m: number | null }).m;
  if (last === null) return true;
  const rows = db.prepare(`SELECT ${columns} FROM ${table} WHERE seq <= ? ORDER BY ${order}`).iterate(last);
  let n = 0;
  for (const row of rows) {
    apply(row as never);
    if (++n % ROWS_PER_TURN !== 0) continue;
    await new Promise((r) => setImmediate(r));
    if (stopped()) {
      rows.return?.();
      return false;
    }
  }
  db.prepare(`DELETE FROM ${table} WHERE seq <= ?`).run(last);
  return true;
}
