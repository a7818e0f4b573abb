// What happened to one command or notification, in typed fields: logs read all of them, metric
// labels only the closed sets (a loaded plugin's method or `unknown`; a status, `ignored` or a code).
import type { PaymentStatus } from '@paystream/contracts';
import { errorClass } from './bounded-text.ts';
import type { Verification } from './events.ts';

/** Every reason the dispatcher refuses a command (docs/errors.md): the DLQ's closed set of codes. */
export const REFUSAL_CODES = [
  'PS_ERR_COMMAND_MALFORMED',
  'PS_ERR_COMMAND_TOO_LARGE',
  'PS_ERR_COMMAND_CARD_DATA',
  'PS_ERR_COMMAND_INVALID',
  'PS_ERR_COMMAND_KEY_MISMATCH',
  'PS_ERR_COMMAND_UNKNOWN_METHOD',
  'PS_ERR_COMMAND_UNKNOWN_MERCHANT',
  'PS_ERR_COMMAND_3DS_DISABLED',
  'PS_ERR_COMMAND_UNSUPPORTED',
  'PS_ERR_COMMAND_INVALID_DETAILS',
  'PS_ERR_COMMAND_DUPLICATE_ID',
  'PS_ERR_COMMAND_ORDER_CHARGED',
  'PS_ERR_COMMAND_REFUND_EXCEEDS_CHARGE',
  'PS_ERR_COMMAND_ORDER_COMMANDS_EXHAUSTED',
  'PS_ERR_COMMAND_HANDLER_FAILED',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

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
  const code = 'PS_ERR_COMMAND_HANDLER_FAILED';
  if (!command) return { code, message: `checking the command failed with ${errorClass(err)}` };
  const { type, method, orderId, commandId } = command;
  return {
    code,
    message: `handling ${type} with the ${method} plugin failed with ${errorClass(err)}; replay the command once the plugin is fixed`,
    orderId,
    commandId,
    method,
  };
}
