// The BI-SNAP operations every SNAP method shares. A method declares only its paths and its mappings
// (the request bodies, the answer field with the amount, the customer's action); how calls are made,
// how answers and refusals become updates, and when a status inquiry has the last word live here once.
import type { JsonObject, MidtransOutcome } from '@paystream/core';
import type { CustomerAction, OperationContext, OperationHandler, PaymentUpdate } from './contract.ts';
import { expiryOf, merchantOf, references, text } from './helpers.ts';
import { moneyOf, snapStatus } from './mapping.ts';
import { answerUpdate, inquiryRefusalUpdate, refusalUpdate } from './updates.ts';

export type SnapPath = `/v1.0/${string}`;

/** A request of a method: where it goes and the body it sends, derived from the command alone. */
export interface SnapRequest<Details> {
  readonly path: SnapPath;
  readonly body: (ctx: OperationContext<Details>) => JsonObject;
}

export interface SnapInquiry<Details> extends SnapRequest<Details> {
  /** The answer's money object that the runtime cross-checks, e.g. `transAmount` or `amount`. */
  readonly amountField: string;
}

export interface SnapCharge<Details> {
  readonly path: SnapPath;
  /** The charge body; `expiresAt` comes from the command's `validForMinutes`, never the clock. */
  readonly body: (ctx: OperationContext<Details>, expiresAt: string) => JsonObject;
  /** What the customer must do, read from an accepted answer; undefined when the answer lacks it. */
  readonly action: (answer: JsonObject, expiresAt: string) => CustomerAction | undefined | Promise<CustomerAction | undefined>;
  /** The reason reported when an accepted answer lacks the customer's action. */
  readonly missingAction?: string;
}

/** A SNAP method's operations as data: `status` is mandatory, the others are declared when supported. */
export interface SnapDeclaration<Details> {
  readonly charge?: SnapCharge<Details> | undefined;
  readonly status: SnapInquiry<Details>;
  readonly cancel?: SnapRequest<Details> | undefined;
  readonly refund?: SnapRequest<Details> | undefined;
}

export type SnapOperations<Details> = Partial<Record<'charge' | 'cancel' | 'refund', OperationHandler<Details>>> & {
  readonly status: OperationHandler<Details>;
};

/** The details every charging SNAP method carries: how long the customer has to act. */
export interface SnapChargeDetails {
  readonly validForMinutes: number;
}

function inquiry<Details>({ path, body, amountField }: SnapInquiry<Details>): OperationHandler<Details> {
  return async (ctx) => {
    // An inquiry changes nothing, so each one may carry its own X-EXTERNAL-ID.
    const o = await ctx.midtrans.snap({ path, externalId: ctx.ids.inquiryId, body: body(ctx), ...merchantOf(ctx) });
    const known = references(ctx.references, { referenceNo: text(o.body['originalReferenceNo']) });
    if (!o.ok) return inquiryRefusalUpdate(o, known);
    return answerUpdate(o, snapStatus(o.body['latestTransactionStatus']), known, moneyOf(o.body[amountField]));
  };
}

function charge<Details extends SnapChargeDetails>(declared: SnapCharge<Details>): OperationHandler<Details> {
  return async (ctx) => {
    const { command, ids } = ctx;
    // Derived from the command, not the clock: a redelivered command must send identical bytes, or
    // Midtrans refuses the reused X-EXTERNAL-ID as a conflict instead of replaying its answer.
    const expiresAt = expiryOf(ctx, command.details.validForMinutes);
    const body = declared.body(ctx, expiresAt);
    const o = await ctx.midtrans.snap({ path: declared.path, externalId: ids.externalId, body, ...merchantOf(ctx) });
    // The charge is recorded under the partnerReferenceNo it sent, which its notifications name.
    const known = references({
      externalId: ids.externalId,
      partnerReferenceNo: text(body['partnerReferenceNo']),
      referenceNo: text(o.body['referenceNo']),
    });
    if (!o.ok) return refusalUpdate(o, known);
    const action = await declared.action(o.body, expiresAt);
    if (!action)
      return answerUpdate(o, 'pending', known, { reason: declared.missingAction ?? "Midtrans answered without the customer's action" });
    return answerUpdate(o, 'action_required', known, { action });
  };
}

type Accepted = Extract<MidtransOutcome, { ok: true }>;

/** A cancel or refund: on a refusal (already paid, already expired) the status inquiry says what is true. */
function change<Details>(
  { path, body }: SnapRequest<Details>,
  settled: (o: Accepted, ctx: OperationContext<Details>) => PaymentUpdate,
  status: OperationHandler<Details>,
): OperationHandler<Details> {
  return async (ctx) => {
    const o = await ctx.midtrans.snap({ path, externalId: ctx.ids.externalId, body: body(ctx), ...merchantOf(ctx) });
    return o.ok ? settled(o, ctx) : status(ctx);
  };
}

const canceled = (o: Accepted, ctx: OperationContext<unknown>): PaymentUpdate => answerUpdate(o, 'canceled', ctx.references);

const refunded = (o: Accepted, ctx: OperationContext<unknown>): PaymentUpdate =>
  answerUpdate(o, 'refunded', references(ctx.references, { refundNo: text(o.body['refundNo']) }));

/** The handlers of a declared SNAP method, in the contracts' operation order. */
export function snapOperations<Details extends SnapChargeDetails>(declared: SnapDeclaration<Details>): SnapOperations<Details> {
  const status = inquiry(declared.status);
  return {
    ...(declared.charge ? { charge: charge(declared.charge) } : {}),
    status,
    ...(declared.cancel ? { cancel: change(declared.cancel, canceled, status) } : {}),
    ...(declared.refund ? { refund: change(declared.refund, refunded, status) } : {}),
  };
}
