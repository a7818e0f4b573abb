// The one shape of a plugin's answer: the status an answer settles, the references known after it
// and Midtrans' response code, so no plugin spells the update out by hand.
import type { MidtransOutcome } from '@paystream/core';
import type { KnownReferences, PaymentStatus, PaymentUpdate } from './contract.ts';
import { responseCodeOf } from './helpers.ts';

/** An answer Midtrans refused: a business refusal, an invalid request, a conflict or an unknown transaction. */
export type MidtransRefusal = Extract<MidtransOutcome, { ok: false }>;

/** What an update may say beside its status, references and response code. */
export type UpdateFacts = Omit<PaymentUpdate, 'status' | 'references' | 'responseCode'>;

/** The update one Midtrans answer settles. */
export function answerUpdate(
  o: MidtransOutcome,
  status: PaymentStatus,
  references: KnownReferences,
  facts: UpdateFacts = {},
): PaymentUpdate {
  return { status, references, ...responseCodeOf(o), ...facts };
}

/**
 * A refused request as an update with Midtrans' message: failed, unless its kind says nothing about
 * the payment (a conflict: this identifier already did something, and only an inquiry can say what).
 */
export function refusalUpdate(
  o: MidtransRefusal,
  references: KnownReferences,
  pendingKinds: readonly MidtransRefusal['kind'][] = ['conflict'],
): PaymentUpdate {
  return answerUpdate(o, pendingKinds.includes(o.kind) ? 'pending' : 'failed', references, { reason: o.message });
}

/** A refused status inquiry leaves the payment as it was: pending, and a later inquiry settles it. */
export function inquiryRefusalUpdate(o: MidtransRefusal, references: KnownReferences): PaymentUpdate {
  return answerUpdate(o, 'pending', references, { reason: o.message });
}
