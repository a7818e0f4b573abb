// Staged rows sorted in a slice of the staging sequence at a time: the same end state as one sort of
// everything, each key's writes still in their order, and a pass stopped between slices resumable.
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { applyStaged, applyStagedInTurns } from './staged-rows.ts';

const STAGED = { table: 'staged', columns: 'k, v', order: 'k, seq' };

/** A stage of `n` writes to 50 keys, each key written many times: the last write of a key wins. */
function stage(n: number): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE staged (seq INTEGER PRIMARY KEY, k TEXT NOT NULL, v INTEGER NOT NULL)');
  const put = db.prepare('INSERT INTO staged (k, v) VALUES (?, ?)');
  for (let i = 0; i < n; i++) put.run(`key-${String((i * 7919) % 50)}`, i);
  return db;
}

const applied = () => {
  const table = new Map<string, number>();
  const order: string[] = [];
  return { table, order, apply: (row: { k: string; v: number }) => void (table.set(row.k, row.v), order.push(row.k)) };
};

describe('staged rows sorted in a slice at a time', () => {
  it('end as one sort of everything ends, each key’s writes in their order, the stage emptied', async () => {
    const whole = applied();
    applyStaged(stage(10_000), STAGED, whole.apply);
    const db = stage(10_000);
    const sliced = applied();
    expect(await applyStagedInTurns(db, STAGED, sliced.apply as (row: never) => void, () => false, 1_000)).toBe(true);
    expect(sliced.table).toEqual(whole.table);
    // Ten slices, each sorted on its own: the key sequence restarts ten times.
    const restarts = sliced.order.filter((k, i) => i > 0 && k < (sliced.order[i - 1] ?? ''));
    expect(restarts).toHaveLength(9);
    expect(db.prepare('SELECT count(*) AS n FROM staged').get()).toEqual({ n: 0 });
  });

  it('stopped between slices, leaves the rest staged, and a later pass ends the same', async () => {
    const whole = applied();
    applyStaged(stage(5_000), STAGED, whole.apply);
    const db = stage(5_000);
    const first = applied();
    let slices = 0;
    const stopped = await applyStagedInTurns(db, STAGED, first.apply, () => ++slices >= 2, 1_000);
    expect(stopped).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM staged').get()).toEqual({ n: 3_000 });
    const rest = applied();
    for (const [k, v] of first.table) rest.table.set(k, v);
    expect(await applyStagedInTurns(db, STAGED, rest.apply as (row: never) => void, () => false, 1_000)).toBe(true);
    expect(rest.table).toEqual(whole.table);
  });
});
