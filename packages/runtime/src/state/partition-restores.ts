// Which state partitions are being restored, and to where: a partition taken over must be applied up to
// the end it had when taken (its high watermark then) before its commands run. While nothing is restored
// yet (a start), the index restores in bulk (order-store.ts: staged references, large transactions) and
// every partition waits for all of them, since staged references are not found until they are sorted in;
// a partition taken over later, while others serve, restores in the index's ordinary mode and only its
// own commands wait.
import type { Admin } from 'kafkajs';
import type { OrderStore } from './order-store.ts';

interface Restore {
  /** The offset to reach; undefined until the partition's end is known. */
  target?: number;
  from?: number;
  readonly promise: Promise<void>;
  readonly done: () => void;
}

const RETRY_MS = 1_000;

export class PartitionRestores {
  readonly #index: OrderStore;
  readonly #admin: Pick<Admin, 'fetchTopicOffsets'>;
  readonly #topic: string;
  readonly #restores = new Map<number, Restore>();
  readonly #allDone = new Set<() => void>();
  /** Partitions restored and serving since the start. */
  readonly #restored = new Set<number>();
  #bulk: { readonly finish: () => void; readonly promise: Promise<void> } | undefined;
  #cancelled = false;
  #sorting = false;
  #asked: ReturnType<Admin['fetchTopicOffsets']> | undefined;

  constructor(index: OrderStore, admin: Pick<Admin, 'fetchTopicOffsets'>, topic: string) {
    this.#index = index;
    this.#admin = admin;
    this.#topic = topic;
  }

  /** True while a partition restores, or a bulk restore still sorts in what it staged. */
  get pending(): boolean {
    return this.#restores.size > 0 || this.#bulk !== undefined;
  }

  /** Starts restoring a partition (once `after` settles): learns its end, then `resume`s reading it from its checkpoint (or its start). */
  begin(partition: number, resume: (offset: number) => void, after?: Promise<void>): void {
    this.#restored.delete(partition);
    if (this.#restores.has(partition)) return;
    let done!: () => void;
    const promise = new Promise<void>((r) => (done = r));
    const restore: Restore = { promise, done };
    // Bulk only when nothing serves nor restores in the ordinary mode: a partition restored in the
    // ordinary mode would otherwise serve while its references are staged, not found.
    const alone = this.#restores.size === 0 && this.#restored.size === 0;
    this.#restores.set(partition, restore);
    if (!this.#bulk && alone) {
      const finish = this.#index.restoring();
      this.#bulk = { finish, promise: new Promise((r) => this.#allDone.add(r)) };
    }
    void (after ?? Promise.resolve()).then(() => this.#locate(partition, restore, resume));
  }

  restoring(partition: number): boolean {
    return this.#restores.has(partition);
  }

  /** What a partition's commands wait for, or undefined when they may go on. */
  ready(partition: number): Promise<void> | undefined {
    return this.#bulk?.promise ?? this.#restores.get(partition)?.promise;
  }

  /** After records of the partition were applied: is it restored? */
  progressed(partition: number): void {
    const r = this.#restores.get(partition);
    if (r?.target === undefined || r.from === undefined) return;
    if ((this.#index.checkpoint(partition) ?? r.from) < r.target) return;
    this.#restores.delete(partition);
    this.#restored.add(partition);
    if (this.#restores.size === 0) this.#finish();
    r.done();
  }

  /**
   * A partition given away stops restoring: what waits for it goes on (and finds its batch stale), and
   * a bulk restore no longer waits for it.
   */
  abandon(partition: number): void {
    this.#restored.delete(partition);
    const r = this.#restores.get(partition);
    if (!r) return;
    this.#restores.delete(partition);
    if (this.#restores.size === 0) this.#finish();
    r.done();
  }

  /** Resolves once nothing is restoring (and a bulk restore has sorted in what it staged). */
  all(): Promise<void> {
    if (!this.pending) return Promise.resolve();
    return new Promise((r) => this.#allDone.add(r));
  }

  /**
   * Stops waiting (the follower stops): everything waiting goes on, and finds the worker stopping. What
   * a bulk restore staged stays staged, and the next start sorts it in.
   */
  cancel(): void {
    this.#cancelled = true;
    const waiting = [...this.#restores.values()];
    this.#restores.clear();
    this.#bulk = undefined;
    this.#release();
    for (const r of waiting) r.done();
  }

  /** Nothing restores any more: a bulk restore sorts in what it staged (a slice per turn) before anything goes on. */
  #finish(): void {
    const bulk = this.#bulk;
    if (!bulk) {
      this.#release();
      return;
    }
    if (this.#sorting) return;
    this.#sorting = true;
    void this.#index
      .sortInStaged(() => this.#cancelled)
      .then(() => {
        this.#sorting = false;
        // A partition taken meanwhile joined the bulk restore: its end finishes it.
        if (this.#cancelled || this.#restores.size > 0 || this.#bulk !== bulk) return;
        bulk.finish();
        this.#bulk = undefined;
        this.#release();
      });
  }

  #release(): void {
    for (const r of this.#allDone) r();
    this.#allDone.clear();
  }

  /** The topic's ends, asked once for every partition that begins restoring meanwhile (a join takes several). */
  #ends(): ReturnType<Admin['fetchTopicOffsets']> {
    this.#asked ??= this.#admin.fetchTopicOffsets(this.#topic).finally(() => (this.#asked = undefined));
    return this.#asked;
  }

  async #locate(partition: number, restore: Restore, resume: (offset: number) => void): Promise<void> {
    while (!this.#cancelled && this.#restores.get(partition) === restore) {
      try {
        const ends = await this.#ends();
        const end = ends.find((e) => e.partition === partition);
        if (!end) throw new Error(`partition ${String(partition)} of ${this.#topic} is gone`);
        restore.from = Math.max(Number(end.low), this.#index.checkpoint(partition) ?? 0);
        restore.target = Number(end.high);
        resume(restore.from);
        this.progressed(partition);
        return;
      } catch {
        // The brokers are away: the partition waits, and is located again shortly.
        await new Promise((r) => setTimeout(r, RETRY_MS).unref());
      }
    }
  }
}
