// While the index restores, the references of the orders it writes are not put into `refs` one at a
// time (random keys: each a random page of a large B-tree) but staged in the order written, in the
// same transactions as their orders and checkpoints, and sorted into `refs` once caught up. A start that
// finds references staged (a process killed during a restore) restores too and sorts them in at its
// end: a reference's writes applied again, in their order, leave what applying them once left.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { applyStaged, applyStagedInTurns } from './staged-rows.ts';

export const STAGED_REFS_TABLE = `
  CREATE TABLE IF NOT EXISTS refs_staged (seq INTEGER PRIMARY KEY, ref TEXT NOT NULL, id TEXT NOT NULL, put INTEGER NOT NULL);
`;

const REFS_STAGED = { table: 'refs_staged', columns: 'ref, id, put', order: 'ref, seq' };
const refWrite =
  (put: StatementSync, del: StatementSync) =>
  (row: { ref: string; id: string; put: number }): void =>
    void (row.put === 1 ? put : del).run(row.ref, row.id);

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

  /** The staged references a slice per turn (staged-rows.ts); false when stopped first. */
  applyInTurns(put: StatementSync, del: StatementSync, stopped: () => boolean): Promise<boolean> {
    return applyStagedInTurns(this.#db, REFS_STAGED, refWrite(put, del), stopped);
  }

  /** Applies what is staged with `put` and `del` of `refs`, each reference's writes in their order, and empties the stage. */
  apply(put: StatementSync, del: StatementSync): void {
    applyStaged(this.#db, REFS_STAGED, refWrite(put, del));
  }
}
