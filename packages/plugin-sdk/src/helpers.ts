// Small helpers every plugin's operations need when reading Midtrans answers.
import type { JsonObject, MidtransOutcome } from '@paystream/core';
import type { OperationContext } from './contract.ts';

/** A non-empty string field, or undefined. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** References with the absent ones left out. */
export function references(...sources: Readonly<Record<string, string | undefined>>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sources) for (const [k, v] of Object.entries(s)) if (v !== undefined) out[k] = v;
  return out;
}

/** `{ responseCode }` of an answer, for spreading into an update. */
export const responseCodeOf = (o: MidtransOutcome): { responseCode?: string } =>
  o.responseCode ? { responseCode: o.responseCode.raw } : o.statusCode ? { responseCode: o.statusCode } : {};

/** `{ merchant }` of a command, for spreading into a call. */
export const merchantOf = (ctx: OperationContext<unknown>): { merchant?: string } =>
  ctx.command.merchant ? { merchant: ctx.command.merchant } : {};

/** `{ merchantId }` of the merchant account, for BI-SNAP bodies that name the MID (QRIS, virtual accounts). */
export const merchantIdOf = (ctx: OperationContext<unknown>): JsonObject =>
  ctx.account.merchantId ? { merchantId: ctx.account.merchantId } : {};

/** How to address the original transaction: its Midtrans reference, else the charge's X-EXTERNAL-ID. */
export function originalIds(ctx: OperationContext<unknown>): JsonObject {
  const referenceNo = ctx.references['referenceNo'];
  return referenceNo ? { originalReferenceNo: referenceNo } : { originalExternalId: ctx.references['externalId'] ?? ctx.ids.externalId };
}

/** The instant the customer's time runs out, derived from the command so retries send identical bytes. */
export function expiryOf(ctx: OperationContext<unknown>, minutes: number): string {
  return new Date(Date.parse(ctx.command.requestedAt) + minutes * 60_000).toISOString();
}
