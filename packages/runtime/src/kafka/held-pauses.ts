// Pauses of a kafkajs consumer that hold whatever the consumer is doing. kafkajs throws on pause and
// resume unless its group exists — before run(), after stop(), while it restarts after a crash — and a
// group it makes anew starts unpaused: so the wish is kept here and applied again at every join.
import type { Consumer } from 'kafkajs';

export class HeldPauses {
  readonly #topics = new Set<string>();
  readonly #consumer: Pick<Consumer, 'pause' | 'resume'>;

  constructor(consumer: Pick<Consumer, 'pause' | 'resume'>) {
    this.#consumer = consumer;
  }

  pause(topics: readonly string[]): void {
    for (const t of topics) this.#topics.add(t);
    this.#apply(topics);
  }

  resume(topics: readonly string[]): void {
    for (const t of topics) this.#topics.delete(t);
    try {
      this.#consumer.resume(topics.map((topic) => ({ topic })));
    } catch {
      // Not running: a group made later starts unpaused anyway.
    }
  }

  has(topic: string): boolean {
    return this.#topics.has(topic);
  }

  /** Applies every held pause again: after run() makes a group, and at every (re)join. */
  reapply(): void {
    this.#apply([...this.#topics]);
  }

  #apply(topics: readonly string[]): void {
    if (topics.length === 0) return;
    try {
      this.#consumer.pause(topics.map((topic) => ({ topic })));
    } catch {
      // No group yet: applied by reapply() when one joins.
    }
  }
}
