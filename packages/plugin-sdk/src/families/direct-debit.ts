// The BI-SNAP direct debit family (payment-host-to-host; Midtrans reference §5.1–§5.2), declared over
// the SNAP operations kit and shared by the e-wallets that use it (GoPay, ShopeePay, DANA): the
// plugins only name their pay method and their customer authentication.
import { z } from 'zod';
import type { CustomerAction } from '../contract.ts';
import { originalIds, text } from '../helpers.ts';
import { snapAmount } from '../mapping.ts';
import { snapOperations, type SnapOperations, type SnapPath } from '../snap-operations.ts';

export const DirectDebitDetails = z.strictObject({
  /** Where the e-wallet sends the customer back after authorising. */
  returnUrl: z
    .url({ protocol: /^https$/ })
    .meta({ pattern: '^https://' })
    .optional(),
  /** Minutes the customer has to authorise (Midtrans: at least 20 s, default 15 min). */
  validForMinutes: z.number().int().min(1).max(1440).default(15),
});
export type DirectDebitDetails = z.infer<typeof DirectDebitDetails>;

/** What the family reads from a command's details; a method's own schema may carry less. */
export interface DirectDebitFields {
  readonly validForMinutes: number;
  readonly returnUrl?: string | undefined;
}

/** Where a direct-debit method's calls go: an operation is supported when its path is declared. */
export interface DirectDebitEndpoints {
  readonly charge?: SnapPath;
  readonly status: SnapPath;
  readonly cancel?: SnapPath;
  readonly refund?: SnapPath;
  /** The status inquiry's `serviceCode`. */
  readonly statusServiceCode: string;
}

export const DIRECT_DEBIT_ENDPOINTS = {
  charge: '/v1.0/debit/payment-host-to-host',
  status: '/v1.0/debit/status',
  cancel: '/v1.0/debit/cancel',
  refund: '/v1.0/debit/refund',
  statusServiceCode: '54',
} as const satisfies DirectDebitEndpoints;

/** Where Midtrans notifies the end of a direct debit, relative to the ingress base. */
export const DIRECT_DEBIT_NOTIFY_PATH = '/v1.0/debit/notify';

function deeplink(answer: Readonly<Record<string, unknown>>, expiresAt: string): CustomerAction {
  const url = text(answer['webRedirectUrl']);
  return { kind: 'deeplink', ...(url ? { url } : {}), expiresAt };
}

/** The direct-debit operations of one pay method (`GOPAY`, `SHOPEEPAY`, `DANA`, …) on the given endpoints. */
export function directDebitOperations<Details extends DirectDebitFields = DirectDebitDetails>(
  payMethod: string,
  endpoints: DirectDebitEndpoints = DIRECT_DEBIT_ENDPOINTS,
): SnapOperations<Details> {
  const { charge, status, cancel, refund, statusServiceCode } = endpoints;
  return snapOperations<Details>({
    charge: charge && {
      path: charge,
      body: ({ command }, validUpTo) => ({
        partnerReferenceNo: command.orderId,
        chargeToken: '',
        validUpTo,
        payOptionDetails: [{ payMethod, payOption: payMethod, transAmount: snapAmount(command.amount.value) }],
        ...(command.details.returnUrl ? { urlParams: [{ url: command.details.returnUrl, type: 'PAY_RETURN', isDeeplink: 'N' }] } : {}),
        additionalInfo: {},
      }),
      action: deeplink,
    },
    status: { path: status, body: (ctx) => ({ ...originalIds(ctx), serviceCode: statusServiceCode }), amountField: 'transAmount' },
    cancel: cancel && { path: cancel, body: (ctx) => ({ ...originalIds(ctx), originalPartnerReferenceNo: ctx.command.orderId }) },
    refund: refund && {
      path: refund,
      body: (ctx) => ({
        ...originalIds(ctx),
        originalPartnerReferenceNo: ctx.command.orderId,
        partnerRefundNo: ctx.ids.refundNo,
        refundAmount: snapAmount(ctx.command.amount.value),
        reason: 'merchant refund',
      }),
    },
  });
}

/** The order a direct-debit notification belongs to. */
export function directDebitOrderId(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null ? text((body as Record<string, unknown>)['originalPartnerReferenceNo']) : undefined;
}
