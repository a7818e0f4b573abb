// Virtual accounts through BI-SNAP (Midtrans reference §5.4), as pure functions: the command details,
// the account numbers, the create-va body, and how an inquiry answer reads.
import { z } from 'zod';
import {
  expiryOf,
  merchantIdOf,
  references,
  moneyOf,
  snapAmount,
  snapStatus,
  text,
  type JsonObject,
  type KnownReferences,
  type OperationContext,
  type PaymentStatus,
} from '@paystream/plugin-sdk';

/** The banks whose partnerServiceId the configuration can hold (`merchants.<name>.virtualAccounts`). */
export const VA_BANKS = ['bca', 'bni', 'bri', 'permata', 'cimb', 'mandiri', 'danamon', 'bsi', 'seabank'] as const;

export const VaDetails = z
  .strictObject({
    bank: z.enum(VA_BANKS),
    /** The name the bank shows the payer; defaults to the command's customer name, then the order id. */
    customerName: z.string().trim().min(1).max(255).meta({ pattern: '\\S' }).optional(),
    /** Minutes the account stays payable (Midtrans' default is 24 h). */
    validForMinutes: z.number().int().min(1).max(10_080).default(1_440),
    /** BCA only: the sub-company code under the merchant's BCA company code. */
    subCompanyCode: z
      .string()
      .regex(/^\d{5}$/, 'subCompanyCode is 5 digits')
      .optional(),
  })
  .refine((d) => d.subCompanyCode === undefined || d.bank === 'bca', {
    path: ['subCompanyCode'],
    message: 'subCompanyCode applies to BCA only',
  })
  // The rule above, in the JSON Schema the client package is generated from.
  .meta({ dependentSchemas: { subCompanyCode: { properties: { bank: { const: 'bca' } } } } });
export type VaDetails = z.infer<typeof VaDetails>;
type Ctx = OperationContext<VaDetails>;

/** What Midtrans needs to address one virtual account again (status, delete). */
export interface VaNumbers {
  readonly partnerServiceId: string;
  readonly customerNo: string;
  readonly virtualAccountNo: string;
  readonly trxId: string;
}

const CUSTOMER_NO_DIGITS = 12;

/** Midtrans wants the bank prefix as String(8), left-padded with spaces: "70012" → "   70012". */
export const padPartnerServiceId = (id: string): string => id.padStart(8, ' ');

/**
 * A 12-digit customer number from the command's X-EXTERNAL-ID (FNV-1a, 64 bit): the same command
 * always opens the same account number, and virtualAccountNo stays within Midtrans' 28 characters.
 */
export function customerNoOf(externalId: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const ch of externalId) hash = ((hash ^ BigInt(ch.codePointAt(0) ?? 0)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return (hash % 10n ** BigInt(CUSTOMER_NO_DIGITS)).toString().padStart(CUSTOMER_NO_DIGITS, '0');
}

/** The digits the payer types at the ATM or in the banking app. */
export const dialledNumber = (virtualAccountNo: string): string => virtualAccountNo.replace(/ /g, '');

export function numbersFor(ctx: Ctx, partnerServiceId: string): VaNumbers {
  const padded = padPartnerServiceId(partnerServiceId);
  const customerNo = customerNoOf(ctx.ids.externalId);
  return { partnerServiceId: padded, customerNo, virtualAccountNo: padded + customerNo, trxId: ctx.ids.externalId };
}

/** The numbers an earlier charge recorded in the order's references, if it got that far. */
export function numbersOf(refs: KnownReferences): VaNumbers | undefined {
  const [partnerServiceId, customerNo, virtualAccountNo, trxId] = [
    refs['partnerServiceId'],
    refs['customerNo'],
    refs['virtualAccountNo'],
    refs['trxId'],
  ];
  return partnerServiceId && customerNo && virtualAccountNo && trxId
    ? { partnerServiceId, customerNo, virtualAccountNo, trxId }
    : undefined;
}

/** Midtrans' echo of the numbers when it gives one (it is authoritative for later calls), else ours. */
export function numbersAnswered(data: JsonObject | undefined, sent: VaNumbers): VaNumbers {
  const echo = (k: keyof VaNumbers): string => text(data?.[k]) ?? sent[k];
  return {
    partnerServiceId: echo('partnerServiceId'),
    customerNo: echo('customerNo'),
    virtualAccountNo: echo('virtualAccountNo'),
    trxId: echo('trxId'),
  };
}

function payerName(ctx: Ctx): string {
  const { customer } = ctx.command;
  const full = [customer?.firstName, customer?.lastName].filter(Boolean).join(' ').trim();
  return ctx.command.details.customerName ?? (full || ctx.command.orderId);
}

function bankInfo(ctx: Ctx): JsonObject {
  const { bank, subCompanyCode } = ctx.command.details;
  if (bank === 'bca') return { subCompanyCode: subCompanyCode ?? '00000' };
  // Mandiri bills need two lines of bill information (10 and 30 characters at most).
  if (bank === 'mandiri') return { mandiri: { billInfo1: 'Payment', billInfo2: `Order ${ctx.command.orderId}`.slice(0, 30) } };
  return {};
}

/** The create-va body: every byte derives from the command, so a redelivery is replayed, not refused. */
export function createBody(ctx: Ctx, numbers: VaNumbers): { body: JsonObject; expiresAt: string } {
  const { command } = ctx;
  const expiresAt = expiryOf(ctx, command.details.validForMinutes);
  const body: JsonObject = {
    ...numbers,
    virtualAccountName: payerName(ctx),
    ...(command.customer?.email ? { virtualAccountEmail: command.customer.email } : {}),
    ...(command.customer?.phone ? { virtualAccountPhone: command.customer.phone } : {}),
    totalAmount: snapAmount(command.amount.value),
    expiredDate: expiresAt,
    additionalInfo: { bank: command.details.bank, ...merchantIdOf(ctx), ...bankInfo(ctx) },
  };
  return { body, expiresAt };
}

/** The status and delete-va bodies address the account by its numbers and the create's trxId. */
export function statusBody(ctx: Ctx, n: VaNumbers): JsonObject {
  return {
    partnerServiceId: n.partnerServiceId,
    customerNo: n.customerNo,
    virtualAccountNo: n.virtualAccountNo,
    inquiryRequestId: n.trxId,
    additionalInfo: merchantIdOf(ctx),
  };
}

export function deleteBody(ctx: Ctx, n: VaNumbers): JsonObject {
  return { ...n, additionalInfo: merchantIdOf(ctx) };
}

/** The references a charge leaves: the VA numbers, and the trxId as externalId so a notification naming it finds the order. */
export function chargeReferences(n: VaNumbers, bank: string): KnownReferences {
  return references({ externalId: n.trxId, ...n, bank });
}

/** An inquiry's `virtualAccountData`: `paymentFlagStatus` through the BI-SNAP table, the paid (else billed) amount. */
export function readInquiry(data: JsonObject | undefined): {
  status: PaymentStatus;
  amount?: number;
  currency?: string;
  paymentRequestId?: string;
} {
  const paid = moneyOf(data?.['paidAmount']);
  const paymentRequestId = text(data?.['paymentRequestId']);
  return {
    status: snapStatus(data?.['paymentFlagStatus']),
    ...(paid.amount === undefined ? moneyOf(data?.['totalAmount']) : paid),
    ...(paymentRequestId ? { paymentRequestId } : {}),
  };
}
