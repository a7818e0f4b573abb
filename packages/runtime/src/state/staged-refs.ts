// While the index restores, the references of the orders it writes are not put into `refs` one at a
// time (random keys: each a random page of a large B-tree) but staged in the order written, in the
// same transactions as their orders and checkpoints, and sorted into `refs` once caught up. A start that
// finds references staged (a process killed during a restore) restores too and sorts them in at its
// end: a reference's writes applied again, in their order, leave what applying them once left.
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export const STAGED_REFS_TABLE = `
  CREATE TABLE IF NOT EXISTS refs_staged (seq INTEGER PRIMARY KEY, ref TEXT NOT NULL, id TEXT NOT NULL, put INTEGER NOT NULL);
`;

export class StagedRefs {
  /** Stages `ref` naming the order (run with ref, id). */
  readonly put: StatementSync;
  /** Stages the removal of `ref` if it names the order (run with ref, id). */
  readonly del: StatementSync;
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.put = db.prepare('INSERT INTO refs_staged (ref, id, put) VALUES (?, ?, 1)');
    this.del = db.prepare('INSERT INTO refs_staged (ref, id, put) VALUES (?, ?, 0)');
  }

  /** Applies what is staged with `put` and `del` of `refs`, each reference's writes in their order, and empties the stage. */
  apply(put: StatementSync, del: StatementSync): void {
    const rows = this.#db.prepare('SELECT ref, id, put FROM refs_staged ORDER BY ref, seq').iterate() as Iterable<{
      ref: string;
      id: string;
      put: number;
    }>;
    for (const row of rows) (row.put === 1 ? put : del).run(row.ref, row.id);
    this.#db.exec('DELETE FROM refs_staged');
  }
}
