// How the order-state index is tuned while it catches up with the topic (a cold start reads every
// order, a warm one what follows its checkpoints) and afterwards, while it follows the topic and this
// worker's own writes. Order ids are random, so each order written lands on a random page of a large
// file: catching up costs page reads and rewrites, not CPU. While restoring, many batches share one
// transaction (a page written by many orders goes to the WAL once, not once per batch), the WAL is
// copied back into the file seldom (each copy ends in an fsync), and the page cache is larger; once
// caught up, all three go back to their small following values and the WAL is emptied.
import type { DatabaseSync } from 'node:sqlite';

export interface IndexTuning {
  /** SQLite's page cache, in KiB (outside the JS heap). */
  readonly cacheKiB: number;
  /** WAL pages after which a commit copies the WAL back into the file. */
  readonly walPages: number;
}

/** Following: a small cache, SQLite's default WAL length. */
export const FOLLOWING: IndexTuning = { cacheKiB: 8 * 1024, walPages: 1_000 };
/** Restoring: 64 MiB of cache and a WAL of up to 64 MiB, for the time of the restore only. */
export const RESTORING: IndexTuning = { cacheKiB: 64 * 1024, walPages: 16_384 };

/**
 * Orders a restoring transaction holds before it commits at the end of a fetched batch. A crash loses
 * at most these, with the checkpoints of the same transaction, so a restart replays them.
 */
export const RESTORE_COMMIT_ORDERS = 20_000;

/**
 * The pragmas of a freshly opened index connection that do not change while it is open. No memory
 * map (mmap_size): measured, it saved nothing once the file outgrew the cache, and its pages count in
 * the worker's RSS.
 */
export const FIXED_PRAGMAS = `
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = NORMAL;
  PRAGMA temp_store = FILE;
`;

/** Applies `tuning`, outside any transaction. */
export function tune(db: DatabaseSync, tuning: IndexTuning): void {
  db.exec(`PRAGMA cache_size = -${String(tuning.cacheKiB)}; PRAGMA wal_autocheckpoint = ${String(tuning.walPages)};`);
}
