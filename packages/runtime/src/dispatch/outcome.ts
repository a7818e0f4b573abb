// What happened to one command or notification, in typed fields: logs read all of them, metric
// labels only the closed sets (a loaded plugin's method or `unknown`; a status, `ignored` or a code).
import type { PaymentStatus } from '@paystream/contracts';
import { codes, errorMessage, type ErrorParams, type RefusalCode } from '@paystream/core';
import { errorClass } from './bounded-text.ts';
import type { Verification } from './events.ts';

/** Every reason the dispatcher refuses a command (the catalogue's command refusals): the DLQ's closed set of codes. */
export { REFUSAL_CODES, type RefusalCode } from '@paystream/core';

/**
 * Why a command is refused, with what of it can be named safely: identifiers only in their valid
 * form (an order id Midtrans accepts, a UUID, a bounded kebab-case method) and never holding a card.
 */
export interface Refusal {
  readonly code: RefusalCode;
  /** Bounded; echoes no unbounded input. */
  readonly message: string;
  readonly orderId?: string;
  readonly commandId?: string;
  readonly method?: string;
}

/** The refusal of `code`, its message filled from the catalogue's template, naming what is known of the command. */
export function refusal<C extends RefusalCode>(code: C, params: ErrorParams<C>, known: Omit<Refusal, 'code' | 'message'> = {}): Refusal {
  return { ...known, code, message: errorMessage(code, params) };
}

/** The method as a metric label: a loaded plugin's, or `unknown`. */
export const UNKNOWN_METHOD = 'unknown';

interface OutcomeFacts {
  /** A loaded plugin's method, or `unknown`. */
  readonly method: string;
  readonly orderId?: string;
  readonly commandId?: string;
  readonly verification?: Verification;
  /** Milliseconds from the command's arrival on Kafka to its acknowledged result. */
  readonly latencyMs?: number;
  readonly traceparent?: string;
  readonly correlationId?: string;
}

/** A result event was published. */
export interface PublishedOutcome extends OutcomeFacts {
  readonly kind: 'result';
  readonly status: PaymentStatus;
}

/** Midtrans answered, but the answer may not change the order (late, out of order, or not the charge's amount). */
export interface IgnoredOutcome extends OutcomeFacts {
  readonly kind: 'ignored';
  readonly status: PaymentStatus;
  /** Why, in words built from statuses and amounts only. */
  readonly reason: string;
}

/** The command went to the DLQ. */
export interface RefusedOutcome extends OutcomeFacts {
  readonly kind: 'refused';
  readonly code: RefusalCode;
  readonly message: string;
}

export type Outcome = PublishedOutcome | IgnoredOutcome | RefusedOutcome;

/** The `outcome` metric label: a payment status, `ignored`, or a refusal code. */
export function outcomeLabel(o: Outcome): string {
  if (o.kind === 'refused') return o.code;
  return o.kind === 'ignored' ? 'ignored' : o.status;
}

/** The outcome of a refusal: its method only when a plugin of this worker has it (a closed label set). */
export function refusedOutcome(
  refusal: Refusal,
  plugins: ReadonlyMap<string, unknown>,
  trace: { traceparent?: string; correlationId?: string },
): RefusedOutcome {
  const { code, message, orderId, commandId } = refusal;
  const method = refusal.method !== undefined && plugins.has(refusal.method) ? refusal.method : UNKNOWN_METHOD;
  return { kind: 'refused', method, code, message, ...(orderId ? { orderId } : {}), ...(commandId ? { commandId } : {}), ...trace };
}

/**
 * The refusal of a command whose handling threw something other than a MidtransError (a plugin's
 * bug): named by the thrown value's class only, never its text, which may hold input.
 */
export function handlerFailed(err: unknown, command?: { type: string; method: string; orderId: string; commandId: string }): Refusal {
  const code = codes.PS_ERR_COMMAND_HANDLER_FAILED;
  if (!command) return refusal(code, { step: 'checking the command', errorClass: errorClass(err) });
  const { type, method, orderId, commandId } = command;
  return refusal(code, { step: `handling ${type} with the ${method} plugin`, errorClass: errorClass(err) }, { orderId, commandId, method });
}
