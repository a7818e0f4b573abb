// Key-ordered concurrency: tasks with the same key (orderId) run one after another in arrival order;
// tasks with different keys run in parallel, up to a bound on everything accepted and not finished.
// Throughput is therefore not capped by the partition count, and an order is never processed out of
// sequence.

export class KeyedScheduler {
  readonly #max: number;
  readonly #tails = new Map<string, Promise<void>>();
  #pending = 0;
  #waiters: (() => void)[] = [];
  #idle: (() => void)[] = [];

  constructor(maxInFlight: number) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError('maxInFlight must be a positive integer');
    this.#max = maxInFlight;
  }

  get pending(): number {
    return this.#pending;
  }

  get full(): boolean {
    return this.#pending >= this.#max;
  }

  /** Resolves once there is room for one more task (back-pressure for the fetch loop). */
  async waitForRoom(): Promise<void> {
    while (this.full) await new Promise<void>((r) => this.#waiters.push(r));
  }

  /** Runs `task` after every earlier task of the same key; the promise settles with the task. */
  submit(key: string, task: () => Promise<void>): Promise<void> {
    this.#pending++;
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
      this.#pending--;
      this.#waiters.shift()?.();
      if (this.#pending === 0) for (const r of this.#idle.splice(0)) r();
    });
    return run;
  }

  /** Resolves when everything submitted so far has finished. */
  drain(): Promise<void> {
    return this.#pending === 0 ? Promise.resolve() : new Promise((r) => this.#idle.push(r));
  }
}
