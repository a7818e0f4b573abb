// What the client makes of one answer, for fakes of Midtrans: a plugin's unit test then sees the
// outcome the real client would give it (the SNAP responseCode parsed, the Core API status_code, a
// refusal as a refusal, an auth failure or a transient answer thrown) instead of a hand-made one.
import { codes } from '../error-catalogue/index.ts';
import { coreAnswers, readAnswer, snapAnswers, TransientAnswer } from './answers.ts';
import { MidtransError, type JsonObject, type MidtransOutcome } from './facade.ts';

/**
 * The outcome of `body` answered with `httpStatus` to a call on `path`. A transient answer (5xx, 429,
 * 202xx00, 504xx00) throws what the client throws once its retries are spent on it.
 */
export function answerAsClient(family: 'snap' | 'core', path: string, httpStatus: number, body: JsonObject): MidtransOutcome {
  const reading = family === 'snap' ? snapAnswers : coreAnswers;
  try {
    return reading.outcome(readAnswer({ status: httpStatus, body: JSON.stringify(body) }, reading));
  } catch (err) {
    if (!(err instanceof TransientAnswer)) throw err;
    const unknown = err.answer.cls === 'ambiguous' || httpStatus >= 500;
    const responseCode = err.answer.json['responseCode'];
    throw new MidtransError(
      unknown ? 'ambiguous' : 'retriable',
      unknown ? codes.PS_ERR_MIDTRANS_OUTCOME_UNKNOWN : codes.PS_ERR_MIDTRANS_UNAVAILABLE,
      { path, attempts: 1, last: `HTTP ${String(httpStatus)}` },
      { outcomeUnknown: unknown, httpStatus, ...(typeof responseCode === 'string' ? { responseCode } : {}) },
    );
  }
}
