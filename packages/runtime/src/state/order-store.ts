// Where one worker keeps what the compacted order-state topic holds: a SQLite file of its own on
// local disk, so that a million orders waiting for their customers cost disk pages, not heap
// (docs/adr/0006-order-state-on-local-disk.md). It is a cache of the topic, rebuilt from it at every
// start; the topic stays the only truth, and no other process ever opens the file.
import { rmSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { KnownReferences } from '@paystream/plugin-sdk';
import { loadSqlite, storeFile } from './store-files.ts';

/** Orders read or written lately, kept parsed: a command reads its order several times (256 are in flight by default). */
const CACHE_SIZE = 1_024;
/** Rows per page when the whole store is walked (start, rebuild of a schedule). */
const PAGE = 1_000;

const SCHEMA = `
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = OFF;
  PRAGMA cache_size = -8192;
  PRAGMA temp_store = FILE;
  CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS refs (ref TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS schedule (id TEXT PRIMARY KEY, method TEXT NOT NULL, part INTEGER NOT NULL, due INTEGER NOT NULL, attempt INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS schedule_due ON schedule (method, part, due);
`;

export interface ScheduleEntry {
  readonly orderId: string;
  readonly attempt: number;
}

export interface ScheduleSlot {
  readonly method: string;
  readonly partition: number;
  /** Epoch ms. */
  readonly due: number;
  readonly attempt: number;
}

/** The reconciler's schedule: when each waiting order is asked about next, by command partition. */
export interface OrderSchedule {
  set(orderId: string, slot: ScheduleSlot): void;
  delete(orderId: string): void;
  /** The attempt an order is scheduled for, or undefined when it is not scheduled. */
  attempt(orderId: string): number | undefined;
  /** Orders of one command partition due at `now`, earliest first. */
  due(method: string, partition: number, now: number, limit: number): ScheduleEntry[];
  readonly size: number;
}

interface Statements {
  readonly get: StatementSync;
  readonly put: StatementSync;
  readonly del: StatementSync;
  readonly refGet: StatementSync;
  readonly refPut: StatementSync;
  readonly refDel: StatementSync;
  readonly page: StatementSync;
  readonly count: StatementSync;
  readonly schedSet: StatementSync;
  readonly schedDel: StatementSync;
  readonly schedGet: StatementSync;
  readonly schedDue: StatementSync;
  readonly schedCount: StatementSync;
}

export class OrderStore {
  readonly schedule: OrderSchedule;
  /** The database file, or `:memory:`. */
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #sql: Statements;
  readonly #dir: string | undefined;
  /** null: known to be absent. */
  readonly #cache = new Map<string, KnownReferences | null>();
  #size = 0;
  #inTransaction = false;
  #closed = false;

  private constructor(file: string, dir: string | undefined) {
    const { DatabaseSync } = loadSqlite();
    this.file = file;
    this.#db = new DatabaseSync(file);
    this.#dir = dir;
    this.#db.exec(SCHEMA);
    const p = (sql: string): StatementSync => this.#db.prepare(sql);
    this.#sql = {
      get: p('SELECT state FROM orders WHERE id = ?'),
      put: p('INSERT INTO orders (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state'),
      del: p('DELETE FROM orders WHERE id = ?'),
      refGet: p('SELECT id FROM refs WHERE ref = ?'),
      refPut: p('INSERT INTO refs (ref, id) VALUES (?, ?) ON CONFLICT (ref) DO UPDATE SET id = excluded.id'),
      refDel: p('DELETE FROM refs WHERE ref = ? AND id = ?'),
      page: p('SELECT id, state FROM orders WHERE id > ? ORDER BY id LIMIT ?'),
      count: p('SELECT count(*) AS n FROM orders'),
      schedSet: p(
        'INSERT INTO schedule (id, method, part, due, attempt) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET method = excluded.method, part = excluded.part, due = excluded.due, attempt = excluded.attempt',
      ),
      schedDel: p('DELETE FROM schedule WHERE id = ?'),
      schedGet: p('SELECT attempt FROM schedule WHERE id = ?'),
      schedDue: p('SELECT id, attempt FROM schedule WHERE method = ? AND part = ? AND due <= ? ORDER BY due LIMIT ?'),
      schedCount: p('SELECT count(*) AS n FROM schedule'),
    };
    this.#size = (this.#sql.count.get() as { n: number }).n;
    this.schedule = this.#scheduleView();
  }

  /**
   * Opens a store in `dir` (created when missing), or — by default — in a fresh folder of the
   * system's temporary directory that `close` removes. `':memory:'` keeps it in memory (tests).
   */
  static open(dir?: string): OrderStore {
    if (dir === ':memory:') return new OrderStore(':memory:', undefined);
    const { file, ownDir } = storeFile(dir);
    return new OrderStore(file, ownDir);
  }

  get size(): number {
    return this.#size;
  }

  get(orderId: string): KnownReferences | undefined {
    const cached = this.#cache.get(orderId);
    if (cached !== undefined) {
      this.#touch(orderId, cached);
      return cached ?? undefined;
    }
    const row = this.#sql.get.get(orderId) as { state: string } | undefined;
    const state = row ? (JSON.parse(row.state) as KnownReferences) : undefined;
    this.#touch(orderId, state ?? null);
    return state;
  }

  /** Stores an order's whole state; `references` name it too (a reference now naming another order moves). */
  put(orderId: string, state: KnownReferences, references: readonly string[]): void {
    this.#write();
    if (this.get(orderId) === undefined) this.#size++;
    this.#sql.put.run(orderId, JSON.stringify(state));
    for (const ref of references) this.#sql.refPut.run(ref, orderId);
    this.#touch(orderId, state);
  }

  delete(orderId: string, references: readonly string[]): void {
    this.#write();
    if (this.get(orderId) !== undefined) this.#size--;
    this.#sql.del.run(orderId);
    for (const ref of references) this.#sql.refDel.run(ref, orderId);
    this.#sql.schedDel.run(orderId);
    this.#touch(orderId, null);
  }

  /** The order a reference belongs to, if any. */
  orderOf(reference: string): string | undefined {
    return (this.#sql.refGet.get(reference) as { id: string } | undefined)?.id;
  }

  /** Every order, in order-id order, a page at a time: writes meanwhile never break the walk. */
  *entries(): IterableIterator<[string, KnownReferences]> {
    let after = '';
    for (;;) {
      const rows = this.#sql.page.all(after, PAGE) as { id: string; state: string }[];
      for (const row of rows) yield [row.id, JSON.parse(row.state) as KnownReferences];
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = last.id;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#commit();
    this.#db.close();
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
  }

  #scheduleView(): OrderSchedule {
    const sql = this.#sql;
    return {
      set: (orderId, s) => {
        this.#write();
        sql.schedSet.run(orderId, s.method, s.partition, Math.round(s.due), s.attempt);
      },
      delete: (orderId) => {
        this.#write();
        sql.schedDel.run(orderId);
      },
      attempt: (orderId) => (sql.schedGet.get(orderId) as { attempt: number } | undefined)?.attempt,
      due: (method, partition, now, limit) =>
        (sql.schedDue.all(method, partition, Math.floor(now), limit) as { id: string; attempt: number }[]).map((r) => ({
          orderId: r.id,
          attempt: r.attempt,
        })),
      get size() {
        return (sql.schedCount.get() as { n: number }).n;
      },
    };
  }

  #touch(orderId: string, state: KnownReferences | null): void {
    this.#cache.delete(orderId);
    this.#cache.set(orderId, state);
    if (this.#cache.size > CACHE_SIZE) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
  }

  /**
   * Writes of one turn of the event loop share a transaction: a commit per write would cost more
   * than the write. Nothing is lost by a crash that the topic does not hold.
   */
  #write(): void {
    if (this.#inTransaction || this.#closed) return;
    this.#db.exec('BEGIN');
    this.#inTransaction = true;
    setImmediate(() => this.#commit());
  }

  #commit(): void {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    this.#db.exec('COMMIT');
  }
}
