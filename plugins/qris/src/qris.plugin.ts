// QRIS (dynamic MPM): the customer scans the QR with any QRIS e-wallet and authorises there; the
// notification and the query say how it ended (Midtrans reference §5.3).
import { toDataURL } from 'qrcode';
import { z } from 'zod';
import {
  definePaymentMethod,
  merchantIdOf,
  originalIds,
  snapAmount,
  snapOperations,
  text,
  type CustomerAction,
  type JsonObject,
} from '@paystream/plugin-sdk';

const Details = z.strictObject({
  validForMinutes: z.number().int().min(1).max(1440).default(15),
  acquirer: z.enum(['gopay', 'AIRPAY SHOPEE']).default('gopay'),
});

/** The customer's action: the QR string Midtrans generated, and a PNG of it for front ends. */
async function qrAction(answer: JsonObject, expiresAt: string): Promise<CustomerAction | undefined> {
  const qrString = text(answer['qrContent']);
  if (!qrString) return undefined;
  return { kind: 'qr', qrString, qrPngDataUrl: await toDataURL(qrString, { errorCorrectionLevel: 'M', margin: 2 }), expiresAt };
}

const operations = snapOperations<z.infer<typeof Details>>({
  charge: {
    path: '/v1.0/qr/qr-mpm-generate',
    // Midtrans asks for partnerReferenceNo to equal X-EXTERNAL-ID on QRIS (at most 36 characters).
    body: (ctx, expiresAt) => ({
      partnerReferenceNo: ctx.ids.externalId,
      amount: snapAmount(ctx.command.amount.value),
      ...merchantIdOf(ctx),
      validityPeriod: expiresAt,
      additionalInfo: { acquirer: ctx.command.details.acquirer },
    }),
    action: qrAction,
    missingAction: 'Midtrans answered without a QR string',
  },
  status: {
    path: '/v1.0/qr/qr-mpm-query',
    body: (ctx) => ({ ...originalIds(ctx), serviceCode: '47', ...merchantIdOf(ctx) }),
    amountField: 'amount',
  },
  cancel: {
    path: '/v1.0/qr/qr-mpm-cancel',
    body: (ctx) => ({ ...originalIds(ctx), ...merchantIdOf(ctx), reason: 'canceled by merchant' }),
  },
  refund: {
    path: '/v1.0/qr/qr-mpm-refund',
    // partnerRefundNo equals X-EXTERNAL-ID for QRIS refunds.
    body: (ctx) => ({
      ...merchantIdOf(ctx),
      ...originalIds(ctx),
      partnerRefundNo: ctx.ids.externalId,
      refundAmount: snapAmount(ctx.command.amount.value),
      reason: 'merchant refund',
    }),
  },
});

export const qrisPlugin = definePaymentMethod({
  method: 'qris',
  topic: 'paystream.commands.qris',
  api: 'snap',
  details: Details,
  customerAuthentication: {
    description: 'Customer scans the QR and authenticates in their e-wallet app',
    factors: ['PIN/biometrics', 'device possession'],
  },
  operations,
  // QRIS notifications name the charge by its X-EXTERNAL-ID; the runtime maps it back to the order.
  notifications: { snapPaths: ['/v1.0/qr/qr-mpm-notify'], orderIdOf: () => undefined },
  pendingTimeoutMs: 15 * 60_000,
});
