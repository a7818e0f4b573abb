// Where one worker keeps what the compacted order-state topic holds: a SQLite file of its own on
// local disk, so that a million orders waiting for their customers cost disk pages, not heap
// (docs/adr/0006-order-state-on-local-disk.md). It is a cache of the topic that survives restarts: it
// records how far it applied each state partition (checkpoint.ts), and is rebuilt from the topic when it
// cannot be trusted. The topic stays the only truth; a lock keeps every other process off the file.
import type { DatabaseSync } from 'node:sqlite';
import { isWaiting, type OrderState } from './order-state.ts';
import { Checkpoints, openIndex, type CheckpointCheck, type IndexIdentity, type IndexRebuildReason } from './checkpoint.ts';
import { claimIndexFolder, type IndexFolder, type IndexLocation } from './index-dir.ts';
import { scheduleOf, type OrderSchedule } from './order-schedule.ts';
import { FOLLOWING, RESTORE_COMMIT_ORDERS, RESTORING, tune } from './index-tuning.ts';
import { StagedRefs } from './staged-refs.ts';
import { appliedStamp, retainedOf, type RetainedOrders } from './retained-orders.ts';
import { orderStatements, pagedOrders, partitionPage, SCHEMA, type OrderStatements } from './order-rows.ts';
import { newReferences } from './state-merge.ts';
import { RecentOrders } from './recent-orders.ts';

export type { OrderSchedule, ScheduleEntry, ScheduleSlot } from './order-schedule.ts';

/** Rows per page when the whole store is walked (start, rebuild of a schedule). */
const PAGE = 1_000;

/** The identity of a store opened without one (tests of the store alone). */
const UNNAMED: IndexIdentity = { topic: '', clusterId: '' };

export class OrderStore {
  readonly schedule: OrderSchedule;
  /** When ended orders are due to leave, and the ids of those that left (retained-orders.ts). */
  readonly retained: RetainedOrders;
  /** The database file, or `:memory:`. */
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #sql: OrderStatements;
  readonly #folder: IndexFolder;
  readonly #checkpoints: Checkpoints;
  readonly #staged: StagedRefs;
  /** Records in `meta` when the index last applied something (a stale index is rebuilt). */
  readonly #stamp: (at: number) => void;
  /** Why the index was made anew at open, or undefined when the one found was used. */
  readonly rebuilt: IndexRebuildReason | undefined;
  readonly #cache = new RecentOrders();
  #size = 0;
  #inTransaction = false;
  #closed = false;
  #sorting = false;
  /** While restoring: orders written in the open transaction; undefined while following. */
  #restoring: number | undefined;

  private constructor(folder: IndexFolder, db: DatabaseSync, rebuilt: IndexRebuildReason | undefined) {
    this.file = folder.file;
    this.#db = db;
    this.#folder = folder;
    this.rebuilt = rebuilt;
    this.#db.exec(SCHEMA);
    tune(db, FOLLOWING);
    this.#checkpoints = new Checkpoints(db);
    this.#staged = new StagedRefs(db);
    this.#sql = orderStatements(db);
    this.#size = this.#checkpoints.orders ?? (this.#sql.count.get() as { n: number }).n;
    this.schedule = scheduleOf(db, () => this.#write());
    this.retained = retainedOf(db, () => this.#write());
    this.#stamp = appliedStamp(db);
  }

  /**
   * Opens the index of `identity` (a topic of a cluster) in a folder (created when missing, locked),
   * the first free slot under a root, `:memory:`, or by default a fresh temporary folder that `close`
   * removes. An index that cannot be trusted, or whose checkpoints fail `check`, is made anew.
   */
  static open(where?: string | Exclude<IndexLocation, string>, identity: IndexIdentity = UNNAMED, check?: CheckpointCheck): OrderStore {
    const location: IndexLocation = typeof where === 'string' ? (where === ':memory:' ? where : { dir: where }) : (where ?? 'temporary');
    const folder = claimIndexFolder(location);
    try {
      const { db, rebuilt } = openIndex(folder.file, identity, check);
      return new OrderStore(folder, db, rebuilt);
    } catch (err) {
      folder.release();
      throw err;
    }
  }

  /** The index's folder, or undefined when it is in memory. */
  get dir(): string | undefined {
    return this.#folder.dir;
  }

  /** The next offset of a state partition to apply; undefined when nothing of it was applied. */
  checkpoint(partition: number): number | undefined {
    return this.#checkpoints.next(partition);
  }

  /** Records that `partition` is applied up to `next`, in the same transaction as what was applied. */
  advance(partition: number, next: number): void {
    this.#write();
    this.#checkpoints.advance(partition, next);
    // Not while staged rows are sorted in: their statement reads on across turns.
    if (this.#restoring !== undefined && this.#restoring >= RESTORE_COMMIT_ORDERS && !this.#sorting) this.#commit();
  }

  /**
   * Catching up with the topic until the returned function is called: writes share transactions of
   * many orders, references are staged (staged-refs.ts; `orderOf` finds them once caught up) and the
   * index is tuned for it (index-tuning.ts); then it follows again.
   */
  restoring(): () => void {
    this.#commit();
    tune(this.#db, RESTORING);
    this.retained.stage();
    this.#restoring = 0;
    return () => {
      if (this.#restoring === undefined || this.#closed) return;
      this.#write();
      this.#staged.apply(this.#sql.refPut, this.#sql.refDel);
      this.retained.unstage();
      this.#restoring = undefined;
      this.#commit();
      tune(this.#db, FOLLOWING);
      this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    };
  }

  /**
   * Before the function `restoring` returned is called: sorts in what is staged so far a slice per turn
   * of the event loop, so that the end of a large restore never holds it; that function then applies
   * only what was staged meanwhile.
   */
  async sortInStaged(stopped: () => boolean): Promise<void> {
    if (this.#restoring === undefined) return;
    const stop = (): boolean => this.#closed || stopped();
    this.#sorting = true;
    try {
      this.#write();
      if (await this.#staged.applyInTurns(this.#sql.refPut, this.#sql.refDel, stop)) await this.retained.unstageInTurns(stop);
    } finally {
      this.#sorting = false;
    }
  }

  get size(): number {
    return this.#size;
  }

  get(orderId: string): OrderState | undefined {
    const cached = this.#cache.get(orderId);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.#sql.get.get(orderId) as { state: string } | undefined;
    const state = row ? (JSON.parse(row.state) as OrderState) : undefined;
    this.#cache.set(orderId, state ?? null);
    return state;
  }

  /**
   * Stores an order's whole state, read from state partition `part` (null: not known); `references`
   * name it too (a reference now naming another order moves).
   */
  put(orderId: string, state: OrderState, references: readonly string[], part: number | null = null): void {
    this.#write();
    const before = this.get(orderId);
    if (before === undefined) this.#size++;
    if (this.#restoring !== undefined) this.#restoring++;
    this.#sql.put.run(orderId, JSON.stringify(state), part, isWaiting(state) ? 1 : null);
    this.retained.track(orderId, before, state, Date.now());
    const refPut = this.#restoring === undefined ? this.#sql.refPut : this.#staged.put;
    for (const ref of references) refPut.run(ref, orderId);
    this.#cache.set(orderId, state);
  }

  delete(orderId: string, references: readonly string[]): void {
    this.#write();
    if (this.get(orderId) !== undefined) this.#size--;
    this.#sql.del.run(orderId);
    const refDel = this.#restoring === undefined ? this.#sql.refDel : this.#staged.del;
    for (const ref of references) refDel.run(ref, orderId);
    this.schedule.delete(orderId);
    this.retained.forget(orderId);
    this.#cache.set(orderId, null);
  }

  /**
   * Forgets up to `limit` orders of a state partition the worker gave away (with their references,
   * schedule and retention), from `afterRowid` on; returns where to go on, or undefined once none is
   * left, the partition's checkpoint forgotten too. A page per call keeps the event loop, and the
   * groups' heartbeats, going. Not while restoring.
   */
  dropPage(partition: number, afterRowid: number, limit: number): number | undefined {
    if (this.#restoring !== undefined) throw new Error('a partition is dropped only while following');
    this.#write();
    const page = partitionPage(this.#db, partition, afterRowid, limit);
    for (const row of page) this.delete(row.id, newReferences(row.id, undefined, JSON.parse(row.state) as OrderState));
    if (page.length === limit) return page.at(-1)?.rowid;
    this.#checkpoints.forget(partition);
    this.#db.prepare('DELETE FROM offsets WHERE partition = ?').run(partition);
    return undefined;
  }

  /** Hands up to `pages` free pages back to the disk (auto_vacuum = INCREMENTAL, checkpoint.ts); false once none is left. */
  shrink(pages: number): boolean {
    this.#commit();
    this.#db.exec(`PRAGMA incremental_vacuum(${String(pages)})`);
    return (this.#db.prepare('PRAGMA freelist_count').get() as { freelist_count: number }).freelist_count > 0;
  }

  /** The order a reference belongs to, if any. */
  orderOf(reference: string): string | undefined {
    return (this.#sql.refGet.get(reference) as { id: string } | undefined)?.id;
  }

  /** Every order, in order-id order, a page at a time: writes meanwhile never break the walk. */
  entries(): IterableIterator<[string, OrderState]> {
    return pagedOrders(this.#sql.page, PAGE);
  }

  /** Every order still waiting for its outcome (isWaiting), the same way, read through its own index. */
  waiting(): IterableIterator<[string, OrderState]> {
    return pagedOrders(this.#sql.waitingPage, PAGE);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#commit();
    this.#stamp(Date.now());
    this.#db.close();
    this.#folder.release();
  }

  /**
   * Writes of one turn of the event loop share a transaction (while restoring, of many batches): a
   * commit per write would cost more than the write. A crash loses the open transaction whole, the
   * checkpoints with the data, so a restart replays exactly what it lost.
   */
  #write(): void {
    if (this.#inTransaction || this.#closed) return;
    this.#db.exec('BEGIN');
    this.#inTransaction = true;
    if (this.#restoring === undefined) setImmediate(() => this.#commit());
  }

  #commit(): void {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    if (this.#restoring !== undefined) this.#restoring = 0;
    this.#checkpoints.saveOrders(this.#size);
    this.#stamp(Date.now());
    this.#db.exec('COMMIT');
  }
}
