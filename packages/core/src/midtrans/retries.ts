// The retry path of one Midtrans call: only what is safe to retry is retried, with full-jitter
// backoff, and a call that may have been processed ends as `ambiguous`, never as a plain failure.
import type { CoreConfig } from '../config/schema.ts';
import type { ApiFamily } from '../tls/policy.ts';
import { TransientAnswer } from './answers.ts';
import { codes } from '../error-catalogue/index.ts';
import { MidtransError, type MidtransOutcome } from './facade.ts';
import { TransportError } from './transport.ts';

/** Told once per call how it ended: `ok`, an outcome kind or an error kind. */
export type CallEnd = (family: ApiFamily, merchant: string, path: string, started: number, result: string) => void;

export interface RetriesOptions {
  readonly config: Readonly<CoreConfig>;
  readonly random: () => number;
  readonly delay: (ms: number) => Promise<unknown>;
  readonly record: CallEnd;
}

export class Retries {
  readonly #config: Readonly<CoreConfig>;
  readonly #random: () => number;
  readonly #delay: (ms: number) => Promise<unknown>;
  readonly #record: CallEnd;

  constructor(options: RetriesOptions) {
    this.#config = options.config;
    this.#random = options.random;
    this.#delay = options.delay;
    this.#record = options.record;
  }

  /**
   * Up to maxAttempts attempts with full-jitter exponential backoff. An attempt returns an outcome,
   * 'again' (retry at once, not counted: a refreshed token), or throws.
   */
  async run(
    family: ApiFamily,
    merchant: string,
    path: string,
    attempt: () => Promise<MidtransOutcome | 'again'>,
  ): Promise<MidtransOutcome> {
    const started = performance.now();
    const { maxAttempts, backoffBaseMs, backoffMaxMs } = this.#config.http;
    let maybeProcessed = false;
    let last: { code: string; status?: number; responseCode?: string } = { code: 'UNKNOWN' };
    for (let n = 0; n < maxAttempts;) {
      try {
        const result = await attempt();
        if (result === 'again') continue;
        this.#record(family, merchant, path, started, result.ok ? 'ok' : result.kind);
        return result;
      } catch (err) {
        const failure = this.#failure(err, maybeProcessed);
        if (failure instanceof MidtransError) {
          this.#record(family, merchant, path, started, failure.kind);
          throw failure;
        }
        maybeProcessed ||= failure.maybeProcessed;
        last = failure;
      }
      n++;
      if (n < maxAttempts) await this.#delay(this.#random() * Math.min(backoffMaxMs, backoffBaseMs * 2 ** n));
    }
    const kind = maybeProcessed ? 'ambiguous' : 'retriable';
    this.#record(family, merchant, path, started, kind);
    throw new MidtransError(
      kind,
      maybeProcessed ? codes.PS_ERR_MIDTRANS_OUTCOME_UNKNOWN : codes.PS_ERR_MIDTRANS_UNAVAILABLE,
      { path, attempts: maxAttempts, last: last.code },
      {
        outcomeUnknown: maybeProcessed,
        ...(last.status === undefined ? {} : { httpStatus: last.status }),
        ...(last.responseCode === undefined ? {} : { responseCode: last.responseCode }),
      },
    );
  }

  /** Either a final MidtransError, or a retriable failure description. */
  #failure(
    err: unknown,
    maybeProcessedBefore: boolean,
  ): MidtransError | { code: string; maybeProcessed: boolean; status?: number; responseCode?: string } {
    if (err instanceof TransientAnswer) {
      const code = err.answer.json['responseCode'];
      return {
        code: `HTTP ${String(err.answer.status)}`,
        status: err.answer.status,
        maybeProcessed: err.answer.cls === 'ambiguous' || err.answer.status >= 500,
        ...(typeof code === 'string' ? { responseCode: code } : {}),
      };
    }
    if (err instanceof TransportError) return { code: err.transportCode, maybeProcessed: err.maybeSent };
    if (MidtransError.is(err)) {
      if (err.kind === 'retriable' || err.kind === 'ambiguous') return { code: err.code, maybeProcessed: err.outcomeUnknown };
      return err;
    }
    if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EOPENBREAKER') {
      return new MidtransError('circuit-open', codes.PS_ERR_MIDTRANS_CIRCUIT_OPEN, {}, { outcomeUnknown: maybeProcessedBefore });
    }
    throw err;
  }
}
