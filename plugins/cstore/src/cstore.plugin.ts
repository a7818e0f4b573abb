// Convenience-store payments (Indomaret, Alfamart) through the Midtrans Core API v2 (`payment_type`
// cstore): the charge answers a payment code the customer pays in cash at the store's counter, and
// settlement or expiry comes by notification.
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

/** The store chain whose counter takes the payment, and a line printed on its receipt. Strict, so card data is refused. */
const Details = z.strictObject({
  store: z.enum(['indomaret', 'alfamart']),
  message: z.string().min(1).max(100).optional(),
});
type Details = z.infer<typeof Details>;
type Ctx = OperationContext<Details>;

/** The Core API `payment_type` of cstore, in charges and in notifications (README checklist: endpoints). */
const PAYMENT_TYPE = 'cstore';

/** How long a charge may stay pending (24 hours) before Midtrans should have expired it. */
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

/** The `payment_code` action of an accepted charge (README checklist: customer action); undefined when the answer lacks it. */
function actionOf(answer: JsonObject, expiresAt: string): CustomerAction | undefined {
  const paymentCode = text(answer['payment_code']);
  const store = text(answer['store']);
  const merchantId = text(answer['merchant_id']);
  // Midtrans writes expiry_time in Jakarta time (UTC+7) without an offset; without it the pending timeout holds.
  const expiry = text(answer['expiry_time']);
  if (!paymentCode || !store) return undefined;
  return {
    kind: 'payment_code',
    paymentCode,
    store,
    ...(merchantId ? { merchantId } : {}),
    expiresAt: expiry ? `${expiry.replace(' ', 'T')}+07:00` : expiresAt,
  };
}

const charge: OperationHandler<Details> = async (ctx) => {
  const body: JsonObject = {
    payment_type: PAYMENT_TYPE,
    transaction_details: { order_id: ctx.command.orderId, gross_amount: ctx.command.amount.value },
    cstore: { store: ctx.command.details.store, ...(ctx.command.details.message ? { message: ctx.command.details.message } : {}) },
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
  const action = actionOf(o.body, new Date(Date.parse(ctx.command.requestedAt) + PENDING_TIMEOUT_MS).toISOString());
  return action
    ? { ...update, status: 'action_required', action }
    : { ...update, reason: "Midtrans answered without the customer's action" };
};

const cancel: OperationHandler<Details> = async (ctx) => {
  const o = await ctx.midtrans.coreApi({ method: 'POST', path: orderPath(ctx, 'cancel'), ...merchantOf(ctx) });
  // A refused cancel (already paid, already expired) changes nothing: the status inquiry says what is true.
  return o.ok ? fromAnswer(o, ctx) : status(ctx);
};

export const cstorePlugin = definePaymentMethod({
  method: 'cstore',
  topic: 'paystream.commands.cstore',
  api: 'core',
  details: Details,
  customerAuthentication: {
    description: 'Cstore: the customer shows the payment code they hold, and the cashier takes the payment in person',
    factors: ['payment code possession', 'cashier verification'],
  },
  operations: { charge, status, cancel },
  notifications: {
    corePaymentTypes: [PAYMENT_TYPE],
    orderIdOf: (body) => (typeof body === 'object' && body !== null ? text((body as Record<string, unknown>)['order_id']) : undefined),
  },
  pendingTimeoutMs: PENDING_TIMEOUT_MS,
});
