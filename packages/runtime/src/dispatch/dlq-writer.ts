// Where a refused command ends: its records (dlq-records.ts) are retried until written, since a
// refusal is never dropped, and only then reported, so that the command's offset is committed after them.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import type { Publisher } from '../kafka/publisher.ts';
import { refusalRecords } from './dlq-records.ts';
import type { DispatcherDeps } from './dispatcher-deps.ts';
import type { TraceContext } from './headers.ts';
import { report } from './listeners.ts';
import { refusedOutcome, type Refusal } from './outcome.ts';
import { backoffMs, type Backoff } from './retry.ts';

export type DlqWriterDeps = Pick<DispatcherDeps, 'crypto' | 'resultsTopic' | 'plugins' | 'onOutcome' | 'onError'>;

export class DlqWriter {
  readonly #d: DlqWriterDeps;
  readonly #publisher: Publisher;
  readonly #backoff: Backoff;

  constructor(deps: DlqWriterDeps, publisher: Publisher, backoff: Backoff) {
    this.#d = deps;
    this.#publisher = publisher;
    this.#backoff = backoff;
  }

  /** Writes the refusal's records, retrying each failed write after a backoff, then reports the refusal. */
  async refuse(m: ConsumedMessage, refusal: Refusal, trace: TraceContext): Promise<void> {
    const target = { crypto: this.#d.crypto, resultsTopic: this.#d.resultsTopic, trace };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#publisher.send(refusalRecords(m, refusal, target));
        break;
      } catch (err) {
        this.#d.onError?.(err);
        await sleep(backoffMs(attempt, this.#backoff));
      }
    }
    report(this.#d, refusedOutcome(refusal, this.#d.plugins, trace));
  }
}
