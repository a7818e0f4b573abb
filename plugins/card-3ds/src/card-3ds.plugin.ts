// Cards through the Core API (Midtrans reference §8.2–§8.6). 3-D Secure is decided here, always on:
// the details schema has no field that could carry a card number or switch authentication off.
// A challenge by the fraud system is a pending review that `approve` / `deny` commands settle.
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
  type MidtransOutcome,
  type OperationContext,
  type OperationHandler,
  type PaymentUpdate,
} from '@paystream/plugin-sdk';

const Details = z.strictObject({
  /** A Midtrans card token (from Midtrans' JS or /v2/token) — never card data. */
  tokenId: z
    .string()
    .min(16)
    .max(256)
    .refine((t) => !/^\d{12,19}$/.test(t.replace(/[ -]/g, '')), 'tokenId must be a Midtrans card token, not a card number'),
});
type Details = z.infer<typeof Details>;
type Ctx = OperationContext<Details>;

const orderPath = (ctx: Ctx, action: string): `/v2/${string}` => `/v2/${encodeURIComponent(ctx.command.orderId)}/${action}`;

function fromAnswer(o: MidtransOutcome, ctx: Ctx): PaymentUpdate {
  const known = references(ctx.references, { transactionId: text(o.body['transaction_id']) });
  // Not found or a conflict says nothing about the payment: pending, and a later inquiry settles it.
  if (!o.ok) return refusalUpdate(o, known, ['conflict', 'not-found']);
  const status = coreStatus(o.body['transaction_status'], o.body['fraud_status']);
  const url = text(o.body['redirect_url']);
  if (status === 'pending' && url) return answerUpdate(o, 'action_required', known, { action: { kind: 'three_ds', url } });
  // The Core API writes gross_amount as "150000.00", and its currency beside it.
  return answerUpdate(o, status, known, moneyOf({ value: o.body['gross_amount'], currency: o.body['currency'] }));
}

const status: OperationHandler<Details> = async (ctx) =>
  fromAnswer(await ctx.midtrans.coreApi({ method: 'GET', path: orderPath(ctx, 'status'), ...merchantOf(ctx) }), ctx);

const charge: OperationHandler<Details> = async (ctx) => {
  const body = {
    payment_type: 'credit_card',
    transaction_details: { order_id: ctx.command.orderId, gross_amount: ctx.command.amount.value },
    // Always authenticated: the backend decides 3DS, never the command (Midtrans security page).
    credit_card: { token_id: ctx.command.details.tokenId, authentication: true },
  };
  return fromAnswer(
    await ctx.midtrans.coreApi({ method: 'POST', path: '/v2/charge', body, idempotencyKey: ctx.ids.idempotencyKey, ...merchantOf(ctx) }),
    ctx,
  );
};

/** Actions that change the transaction: on a refusal, the status inquiry says what is true. */
function action(name: 'cancel' | 'approve' | 'deny' | 'refund'): OperationHandler<Details> {
  return async (ctx) => {
    const body = name === 'refund' ? { refund_key: ctx.ids.refundNo, amount: ctx.command.amount.value } : undefined;
    const o = await ctx.midtrans.coreApi({
      method: 'POST',
      path: orderPath(ctx, name),
      ...(body ? { body, idempotencyKey: ctx.ids.idempotencyKey } : {}),
      ...merchantOf(ctx),
    });
    return o.ok ? fromAnswer(o, ctx) : status(ctx);
  };
}

export const card3dsPlugin = definePaymentMethod({
  method: 'card-3ds',
  topic: 'paystream.commands.card-3ds',
  api: 'core',
  details: Details,
  customerAuthentication: {
    description: '3D Secure authentication via the card issuing bank',
    factors: ['OTP/biometrics', 'card knowledge'],
  },
  operations: { charge, status, cancel: action('cancel'), refund: action('refund'), approve: action('approve'), deny: action('deny') },
  notifications: {
    corePaymentTypes: ['credit_card'],
    orderIdOf: (body) => (typeof body === 'object' && body !== null ? text((body as Record<string, unknown>)['order_id']) : undefined),
  },
  pendingTimeoutMs: 30 * 60_000,
});
