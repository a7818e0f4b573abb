// Sorting staged rows into their tables at the end of a restore takes seconds per million orders: done
// in one go it would hold the event loop — and the consumer groups' heartbeats — that long. The rows
// staged so far are sorted a million at a time and applied in that order a slice per turn of the event
// loop; rows staged meanwhile wait for the next pass. A pass stopped halfway leaves its rows staged:
// applying a row again, in its order, leaves what applying it once left.
import type { DatabaseSync } from 'node:sqlite';

const ROWS_PER_TURN = 20_000;
/** About a second of sorting (3.5 s per 3 million rows measured): far inside a consumer group's session. */
const ROWS_PER_SORT = 1_000_000;

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

/**
 * Applies the rows of `table` staged so far, in `order`, a slice per turn; false when `stopped` first.
 * SQLite sorts a whole query before its first row: the rows are taken `rowsPerSort` at a time by their
 * staging sequence (a slice's writes all before the next's, so each key's writes keep their order),
 * which bounds the longest step, and each slice leaves the stage once applied.
 */
export async function applyStagedInTurns(
  db: DatabaseSync,
  staged: Staged,
  /** Takes a row of `columns` (typed by the caller). */
  apply: (row: never) => void,
  stopped: () => boolean,
  rowsPerSort = ROWS_PER_SORT,
): Promise<boolean> {
  const { table, columns, order } = staged;
  const range = db.prepare(`SELECT min(seq) AS first, max(seq) AS last FROM ${table}`).get() as {
    first: number | null;
    last: number | null;
  };
  if (range.first === null || range.last === null) return true;
  const slice = db.prepare(`SELECT ${columns} FROM ${table} WHERE seq >= ? AND seq < ? ORDER BY ${order}`);
  const drop = db.prepare(`DELETE FROM ${table} WHERE seq < ?`);
  for (let from = range.first; from <= range.last; from += rowsPerSort) {
    const rows = slice.iterate(from, from + rowsPerSort);
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
    drop.run(from + rowsPerSort);
    await new Promise((r) => setImmediate(r));
    if (stopped()) return false;
  }
  return true;
}
