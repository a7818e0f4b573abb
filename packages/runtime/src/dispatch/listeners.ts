// The dispatcher's listeners turn outcomes into logs and metrics, and they are the worker's code: one
// that throws must not turn a result already written into a refusal, so every call is guarded.
import type { Outcome } from './outcome.ts';
import { noteOutcome } from '../tracing/command-span.ts';

export interface Listeners {
  readonly onOutcome?: (outcome: Outcome) => void;
  /** A failure of the dispatcher's own writing (it is retried), or of a listener. */
  readonly onError?: (err: unknown) => void;
}

/** Runs `step`; what it throws goes to `onError`. */
export function guarded(listeners: Listeners, step: () => void): void {
  try {
    step();
  } catch (err) {
    listeners.onError?.(err);
  }
}

/** Hands the outcome to `onOutcome`, guarded. */
export function report(listeners: Listeners, outcome: Outcome): void {
  noteOutcome(outcome);
  guarded(listeners, () => listeners.onOutcome?.(outcome));
}
