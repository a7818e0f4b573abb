// Pay-later (Akulaku, Kredivo) through the Midtrans Core API v2: the charge redirects the customer to
// the provider, who approves the instalment credit (settlement) or declines it (deny); an unanswered
// charge expires. The command's `details.provider` is Midtrans' `payment_type`.
import { z } from 'zod';
import {
  answerUpdate,
  coreStatus,
  definePaymentMethod,
  merchantOf,
  moneyOf,
  references,
  refusalUpdate,
  text,
  type CustomerAction,
  type JsonObject,
  type MidtransOutcome,
  type OperationContext,
  type OperationHandler,
  type PaymentUpdate,
} from '@paystream/plugin-sdk';

/** The providers, as Midtrans names their `payment_type`, in charges and in notifications. */
const PROVIDERS = ['akulaku', 'kredivo'] as const;

/** The provider whose credit pays the order. Strict, so card data is refused. */
const Details = z.strictObject({ provider: z.enum(PROVIDERS) });
type Details = z.infer<typeof Details>;
type Ctx = OperationContext<Details>;

/** How long Midtrans leaves each provider's charge open for the customer (its default expiry). */
const PROVIDER_EXPIRY_MS: Readonly<Record<Details['provider'], number>> = { akulaku: 2 * 60 * 60_000, kredivo: 24 * 60 * 60_000 };

/** How long a charge may stay pending (24 hours, the longer provider's) before Midtrans should have expired it. */
const PENDING_TIMEOUT_MS = 24 * 60 * 60_000;

const orderPath = (ctx: Ctx, action: string): `/v2/${string}` => `/v2/${encodeURIComponent(ctx.command.orderId)}/${action}`;

/** Every Core API answer carries the transaction; coreStatus leaves any status it does not know pending (README checklist: status table). */
function fromAnswer(o: MidtransOutcome, ctx: Ctx): PaymentUpdate {
  const known = references(ctx.references, { transactionId: text(o.body['transaction_id']) });
  // Not found or a conflict says nothing about the payment: pending, and a later inquiry settles it.
  if (!o.ok) return refusalUpdate(o, known, ['conflict', 'not-found']);
  // The Core API writes gross_amount as "150000.00", and its currency beside it.
  return answerUpdate(
    o,
    coreStatus(o.body['transaction_status'], o.body['fraud_status']),
    known,
    moneyOf({ value: o.body['gross_amount'], currency: o.body['currency'] }),
  );
}

const status: OperationHandler<Details> = async (ctx) =>
  fromAnswer(await ctx.midtrans.coreApi({ method: 'GET', path: orderPath(ctx, 'status'), ...merchantOf(ctx) }), ctx);

/** The `redirect` action of an accepted charge (README checklist: customer action); undefined when the answer lacks it. */
function actionOf(answer: JsonObject, expiresAt: string): CustomerAction | undefined {
  const url = text(answer['redirect_url']);
  return url ? { kind: 'redirect', url, expiresAt } : undefined;
}

const charge: OperationHandler<Details> = async (ctx) => {
  const { provider } = ctx.command.details;
  const body: JsonObject = {
    payment_type: provider,
    transaction_details: { order_id: ctx.command.orderId, gross_amount: ctx.command.amount.value },
  };
  // The Idempotency-Key derives from the command, so a redelivered charge is answered, not repeated.
  const o = await ctx.midtrans.coreApi({
    method: 'POST',
    path: '/v2/charge',
    body,
    idempotencyKey: ctx.ids.idempotencyKey,
    ...merchantOf(ctx),
  });
  const update = fromAnswer(o, ctx);
  if (!o.ok || update.status !== 'pending') return update;
  // Derived from the command, not the clock, so a redelivered charge reports the same expiry.
  const action = actionOf(o.body, new Date(Date.parse(ctx.command.requestedAt) + PROVIDER_EXPIRY_MS[provider]).toISOString());
  return action
    ? { ...update, status: 'action_required', action }
    : { ...update, reason: "Midtrans answered without the customer's action" };
};

const cancel: OperationHandler<Details> = async (ctx) => {
  const o = await ctx.midtrans.coreApi({ method: 'POST', path: orderPath(ctx, 'cancel'), ...merchantOf(ctx) });
  // A refused cancel (already paid, already expired) changes nothing: the status inquiry says what is true.
  return o.ok ? fromAnswer(o, ctx) : status(ctx);
};

const refund: OperationHandler<Details> = async (ctx) => {
  const body: JsonObject = { refund_key: ctx.ids.refundNo, amount: ctx.command.amount.value, reason: 'merchant refund' };
  const o = await ctx.midtrans.coreApi({
    method: 'POST',
    path: orderPath(ctx, 'refund'),
    body,
    idempotencyKey: ctx.ids.idempotencyKey,
    ...merchantOf(ctx),
  });
  return o.ok ? fromAnswer(o, ctx) : status(ctx);
};

export const payLaterPlugin = definePaymentMethod({
  method: 'pay-later',
  topic: 'paystream.commands.pay-later',
  api: 'core',
  details: Details,
  customerAuthentication: {
    description: "Pay-later: the customer signs in to the provider's app or page with their password and confirms with a one-time password",
    factors: ['provider account password', 'one-time password'],
  },
  operations: { charge, status, cancel, refund },
  notifications: {
    corePaymentTypes: [...PROVIDERS],
    orderIdOf: (body) => (typeof body === 'object' && body !== null ? text((body as Record<string, unknown>)['order_id']) : undefined),
  },
  pendingTimeoutMs: PENDING_TIMEOUT_MS,
});
