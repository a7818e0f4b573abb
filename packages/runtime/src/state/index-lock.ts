// The lock that keeps two processes off one order-state index. It is an operating-system lock (SQLite's
// exclusive locking mode on a small file of the index folder), not a file that names its holder: the
// kernel drops it when the holder dies however it dies, so a dead holder never blocks a restart, and a
// reused pid (a container's pid 1) is never taken for a live holder. The holder's pid is written beside
// it only to name it in the refusal.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { loadSqlite } from './store-files.ts';

const LOCK_FILE = 'index.lock';
const HOLDER_FILE = 'index.holder';
/** SQLite's SQLITE_BUSY and SQLITE_LOCKED: another connection holds the lock. */
const BUSY = new Set([5, 6]);

export class IndexLock {
  readonly dir: string;
  readonly #db: DatabaseSync;
  #released = false;

  private constructor(dir: string, db: DatabaseSync) {
    this.dir = dir;
    this.#db = db;
  }

  /**
   * Takes the lock of `dir` (an existing folder), or returns undefined while a live process holds it.
   * The lock file is never opened any other way in this process: closing any descriptor of a file
   * drops the process' POSIX locks on it.
   */
  static take(dir: string): IndexLock | undefined {
    const { DatabaseSync } = loadSqlite();
    const db = new DatabaseSync(join(dir, LOCK_FILE));
    try {
      // The exclusive lock taken by the first write is kept until the connection closes.
      db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS taken (at INTEGER); DELETE FROM taken');
      db.prepare('INSERT INTO taken (at) VALUES (?)').run(Date.now());
      db.exec('COMMIT');
    } catch (err) {
      db.close();
      if (BUSY.has((err as { errcode?: number }).errcode ?? 0)) return undefined;
      throw err;
    }
    writeFileSync(join(dir, HOLDER_FILE), String(process.pid));
    return new IndexLock(dir, db);
  }

  /** The pid the holder of `dir`'s lock wrote, if it is readable: for messages only. */
  static holder(dir: string): number | undefined {
    try {
      const pid = Number(readFileSync(join(dir, HOLDER_FILE), 'utf8'));
      return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    rmSync(join(this.dir, HOLDER_FILE), { force: true });
    this.#db.close();
  }
}
