// kafkajs restarts a crashed consumer only after a retriable error; after any other — a login refused on
// reconnect, a certificate no longer trusted, an ACL removed — it stops it for good while the process
// goes on. This keeps the failure for readiness to report and runs the consumer again with a backoff
// (1 s doubling to 30 s, at once on `wake`) until it joins a group again.
import type { Consumer, ConsumerRunConfig } from 'kafkajs';

export interface CrashRestartOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

type Restartable = Pick<Consumer, 'connect' | 'disconnect' | 'on' | 'events'>;

export class CrashRestarts {
  readonly #consumer: Restartable;
  readonly #run: () => Promise<void>;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  #failure: unknown;
  #timer: NodeJS.Timeout | undefined;
  #attempts = 0;
  #stopped = false;
  #down = false;

  /** `run` runs the consumer again (kafkajs keeps its subscriptions). */
  constructor(consumer: Restartable, run: () => Promise<void>, opts: CrashRestartOptions = {}) {
    this.#consumer = consumer;
    this.#run = run;
    this.#initialDelayMs = opts.initialDelayMs ?? 1_000;
    this.#maxDelayMs = opts.maxDelayMs ?? 30_000;
    consumer.on(consumer.events.CRASH, ({ payload }) => this.#crashed(payload.error, payload.restart));
    consumer.on(consumer.events.GROUP_JOIN, () => this.#joined());
  }

  /** Runs the consumer with `config`, and again with it after each crash kafkajs does not restart. */
  static async run(
    consumer: Restartable & Pick<Consumer, 'run'>,
    config: ConsumerRunConfig,
    opts?: CrashRestartOptions,
  ): Promise<CrashRestarts> {
    const restarts = new CrashRestarts(consumer, () => consumer.run(config), opts);
    await consumer.run(config);
    return restarts;
  }

  /** The error the consumer crashed with, until it joins its group again; undefined while it runs. */
  get failure(): unknown {
    return this.#failure;
  }

  /** True from a crash until the consumer joins a group again, whoever restarts it: nothing is consumed meanwhile. */
  get down(): boolean {
    return this.#down;
  }

  /** Whether a restart is waiting for its turn. */
  get restarting(): boolean {
    return this.#timer !== undefined;
  }

  /** kafkajs' CRASH event: it restarts by itself when `restart` is true; otherwise the restart is ours. */
  #crashed(error: unknown, restart: boolean): void {
    this.#down = true;
    this.#failure = error ?? new Error('the consumer crashed');
    if (!restart) this.#schedule();
  }

  /** A group joined: the consumer works again, and the next crash starts the backoff anew. */
  #joined(): void {
    this.#down = false;
    this.#failure = undefined;
    this.#attempts = 0;
  }

  /** Restarts now if a restart is waiting (the operator says the cause is fixed). */
  wake(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    void this.#restart();
  }

  /** No restart any more: the consumer is being stopped. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #isStopped(): boolean {
    return this.#stopped;
  }

  #schedule(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    const delayMs = Math.min(this.#maxDelayMs, this.#initialDelayMs * 2 ** Math.min(this.#attempts++, 10));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#restart();
    }, delayMs);
  }

  /** A refused connection fails here; a refused join makes kafkajs crash again (and `crashed` schedules the next try). */
  async #restart(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#consumer.connect();
      // Stopped while connecting: the stop disconnects; the consumer must not run again.
      if (this.#isStopped()) return;
      await this.#run();
    } catch (err) {
      this.#failure = err;
      await this.#consumer.disconnect().catch(() => undefined);
      this.#schedule();
    }
  }
}
