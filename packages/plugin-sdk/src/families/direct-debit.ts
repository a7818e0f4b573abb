// The BI-SNAP direct debit family (payment-host-to-host; Midtrans reference §5.1–§5.2), shared by
// the e-wallets that use it (GoPay, ShopeePay, DANA): the plugins only name their pay method and
// their customer authentication.
import { z } from 'zod';
import type { JsonObject, MidtransOutcome } from '@paystream/core';
import type { OperationHandler, PaymentUpdate } from '../contract.ts';
import { expiryOf, merchantOf, originalIds, references, responseCodeOf, text as str } from '../helpers.ts';
import { moneyOf, snapAmount, snapStatus } from '../mapping.ts';

export const DirectDebitDetails = z.strictObject({
  /** Where the e-wallet sends the customer back after authorising. */
  returnUrl: z.url({ protocol: /^https$/ }).optional(),
  /** Minutes the customer has to authorise (Midtrans: at least 20 s, default 15 min). */
  validForMinutes: z.number().int().min(1).max(1440).default(15),
});
export type DirectDebitDetails = z.infer<typeof DirectDebitDetails>;

function failedOrPending(o: Exclude<MidtransOutcome, { ok: true }>, refs: PaymentUpdate['references']): PaymentUpdate {
  // A conflict means this X-EXTERNAL-ID already did something: only a status inquiry can say what.
  return { status: o.kind === 'conflict' ? 'pending' : 'failed', references: refs, ...responseCodeOf(o), reason: o.message };
}

export function directDebitOperations(payMethod: 'GOPAY' | 'SHOPEEPAY' | 'DANA'): {
  charge: OperationHandler<DirectDebitDetails>;
  status: OperationHandler<DirectDebitDetails>;
  cancel: OperationHandler<DirectDebitDetails>;
  refund: OperationHandler<DirectDebitDetails>;
} {
  const status: OperationHandler<DirectDebitDetails> = async (ctx) => {
    // An inquiry changes nothing, so each one may carry its own X-EXTERNAL-ID.
    const o = await ctx.midtrans.snap({
      path: '/v1.0/debit/status',
      externalId: ctx.ids.inquiryId,
      body: { ...originalIds(ctx), serviceCode: '54' },
      ...merchantOf(ctx),
    });
    const known = references(ctx.references, { referenceNo: str(o.body['originalReferenceNo']) });
    if (!o.ok) return { status: 'pending', references: known, ...responseCodeOf(o), reason: o.message };
    return {
      status: snapStatus(o.body['latestTransactionStatus']),
      references: known,
      ...responseCodeOf(o),
      ...moneyOf(o.body['transAmount']),
    };
  };

  const charge: OperationHandler<DirectDebitDetails> = async (ctx) => {
    const { command, ids } = ctx;
    // Derived from the command, not the clock: a redelivered command must send identical bytes, or
    // Midtrans refuses the reused X-EXTERNAL-ID as a conflict instead of replaying its answer.
    const validUpTo = expiryOf(ctx, command.details.validForMinutes);
    const body: JsonObject = {
      partnerReferenceNo: command.orderId,
      chargeToken: '',
      validUpTo,
      payOptionDetails: [{ payMethod, payOption: payMethod, transAmount: snapAmount(command.amount.value) }],
      ...(command.details.returnUrl ? { urlParams: [{ url: command.details.returnUrl, type: 'PAY_RETURN', isDeeplink: 'N' }] } : {}),
      additionalInfo: {},
    };
    const o = await ctx.midtrans.snap({ path: '/v1.0/debit/payment-host-to-host', externalId: ids.externalId, body, ...merchantOf(ctx) });
    const known = references({ externalId: ids.externalId, partnerReferenceNo: command.orderId, referenceNo: str(o.body['referenceNo']) });
    if (!o.ok) return failedOrPending(o, known);
    const url = str(o.body['webRedirectUrl']);
    return {
      status: 'action_required',
      references: known,
      ...responseCodeOf(o),
      action: { kind: 'deeplink', ...(url ? { url } : {}), expiresAt: validUpTo },
    };
  };

  const cancel: OperationHandler<DirectDebitDetails> = async (ctx) => {
    const o = await ctx.midtrans.snap({
      path: '/v1.0/debit/cancel',
      externalId: ctx.ids.externalId,
      body: { ...originalIds(ctx), originalPartnerReferenceNo: ctx.command.orderId },
      ...merchantOf(ctx),
    });
    // A refused cancel (already paid, already expired) changes nothing: the status inquiry says what is true.
    return o.ok ? { status: 'canceled', references: ctx.references, ...responseCodeOf(o) } : status(ctx);
  };

  const refund: OperationHandler<DirectDebitDetails> = async (ctx) => {
    const body: JsonObject = {
      ...originalIds(ctx),
      originalPartnerReferenceNo: ctx.command.orderId,
      partnerRefundNo: ctx.ids.refundNo,
      refundAmount: snapAmount(ctx.command.amount.value),
      reason: 'merchant refund',
    };
    const o = await ctx.midtrans.snap({ path: '/v1.0/debit/refund', externalId: ctx.ids.externalId, body, ...merchantOf(ctx) });
    return o.ok
      ? { status: 'refunded', references: references(ctx.references, { refundNo: str(o.body['refundNo']) }), ...responseCodeOf(o) }
      : status(ctx);
  };

  return { charge, status, cancel, refund };
}

/** The order a direct-debit notification belongs to. */
export function directDebitOrderId(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null ? str((body as Record<string, unknown>)['originalPartnerReferenceNo']) : undefined;
}
