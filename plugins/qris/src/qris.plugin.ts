// QRIS (dynamic MPM): the customer scans the QR with any QRIS e-wallet and authorises there; the
// notification and the query say how it ended (Midtrans reference §5.3).
import { toDataURL } from 'qrcode';
import { z } from 'zod';
import {
  definePaymentMethod,
  expiryOf,
  merchantOf,
  originalIds,
  references,
  responseCodeOf,
  moneyOf,
  snapAmount,
  snapStatus,
  text,
  type JsonObject,
  type OperationContext,
  type OperationHandler,
} from '@paystream/plugin-sdk';

const Details = z.strictObject({
  validForMinutes: z.number().int().min(1).max(1440).default(15),
  acquirer: z.enum(['gopay', 'AIRPAY SHOPEE']).default('gopay'),
});
type Details = z.infer<typeof Details>;
type Ctx = OperationContext<Details>;

const mid = (ctx: Ctx): JsonObject => (ctx.account.merchantId ? { merchantId: ctx.account.merchantId } : {});

const status: OperationHandler<Details> = async (ctx) => {
  const o = await ctx.midtrans.snap({
    path: '/v1.0/qr/qr-mpm-query',
    externalId: ctx.ids.inquiryId,
    body: { ...originalIds(ctx), serviceCode: '47', ...mid(ctx) },
    ...merchantOf(ctx),
  });
  const known = references(ctx.references, { referenceNo: text(o.body['originalReferenceNo']) });
  if (!o.ok) return { status: 'pending', references: known, ...responseCodeOf(o), reason: o.message };
  return { status: snapStatus(o.body['latestTransactionStatus']), references: known, ...responseCodeOf(o), ...moneyOf(o.body['amount']) };
};

const charge: OperationHandler<Details> = async (ctx) => {
  const expiresAt = expiryOf(ctx, ctx.command.details.validForMinutes);
  // Midtrans asks for partnerReferenceNo to equal X-EXTERNAL-ID on QRIS (at most 36 characters).
  const body: JsonObject = {
    partnerReferenceNo: ctx.ids.externalId,
    amount: snapAmount(ctx.command.amount.value),
    ...mid(ctx),
    validityPeriod: expiresAt,
    additionalInfo: { acquirer: ctx.command.details.acquirer },
  };
  const o = await ctx.midtrans.snap({ path: '/v1.0/qr/qr-mpm-generate', externalId: ctx.ids.externalId, body, ...merchantOf(ctx) });
  const known = references({
    externalId: ctx.ids.externalId,
    partnerReferenceNo: ctx.ids.externalId,
    referenceNo: text(o.body['referenceNo']),
  });
  if (!o.ok) return { status: o.kind === 'conflict' ? 'pending' : 'failed', references: known, ...responseCodeOf(o), reason: o.message };
  const qrString = text(o.body['qrContent']);
  if (!qrString) return { status: 'pending', references: known, ...responseCodeOf(o), reason: 'Midtrans answered without a QR string' };
  return {
    status: 'action_required',
    references: known,
    ...responseCodeOf(o),
    action: { kind: 'qr', qrString, qrPngDataUrl: await toDataURL(qrString, { errorCorrectionLevel: 'M', margin: 2 }), expiresAt },
  };
};

const cancel: OperationHandler<Details> = async (ctx) => {
  const o = await ctx.midtrans.snap({
    path: '/v1.0/qr/qr-mpm-cancel',
    externalId: ctx.ids.externalId,
    body: { ...originalIds(ctx), ...mid(ctx), reason: 'canceled by merchant' },
    ...merchantOf(ctx),
  });
  return o.ok ? { status: 'canceled', references: ctx.references, ...responseCodeOf(o) } : status(ctx);
};

const refund: OperationHandler<Details> = async (ctx) => {
  // partnerRefundNo equals X-EXTERNAL-ID for QRIS refunds.
  const body: JsonObject = {
    ...mid(ctx),
    ...originalIds(ctx),
    partnerRefundNo: ctx.ids.externalId,
    refundAmount: snapAmount(ctx.command.amount.value),
    reason: 'merchant refund',
  };
  const o = await ctx.midtrans.snap({ path: '/v1.0/qr/qr-mpm-refund', externalId: ctx.ids.externalId, body, ...merchantOf(ctx) });
  return o.ok
    ? { status: 'refunded', references: references(ctx.references, { refundNo: text(o.body['refundNo']) }), ...responseCodeOf(o) }
    : status(ctx);
};

export const qrisPlugin = definePaymentMethod({
  method: 'qris',
  topic: 'paystream.commands.qris',
  api: 'snap',
  details: Details,
  customerAuthentication: {
    description: 'Customer scans the QR and authenticates in their e-wallet app',
    factors: ['PIN/biometrics', 'device possession'],
  },
  operations: { charge, status, cancel, refund },
  // QRIS notifications name the charge by its X-EXTERNAL-ID; the runtime maps it back to the order.
  notifications: { snapPaths: ['/v1.0/qr/qr-mpm-notify'], orderIdOf: () => undefined },
  pendingTimeoutMs: 15 * 60_000,
});
