// What the BI-SNAP routes share: the route and answer types, field checks as Midtrans words their
// failures, and creating, cancelling and refunding a transaction.
import { randomBytes } from 'node:crypto';
import { fail } from '../codes.ts';
import type { Store, Tx, TxKind } from '../store.ts';

export type Body = Record<string, unknown>;
export interface Answer {
  readonly status?: number;
  readonly caseCode?: string;
  readonly body: Body;
}
export interface RouteContext {
  readonly store: Store;
  readonly externalId: string;
  readonly customerBaseUrl: string;
  readonly onChange: (tx: Tx) => void;
  /** The largest amount (rupiah) a method accepts, when a limit is configured. */
  readonly amountLimit: (method: string) => number | undefined;
}
export interface Route {
  readonly service: string;
  readonly handle: (body: Body, ctx: RouteContext) => Answer;
}

const AMOUNT = /^\d{1,14}\.\d{2}$/;
const REF = /^[A-Za-z0-9\-_~.]{1,64}$/;
const FIFTEEN_MIN = 15 * 60_000;

export function obj(v: unknown): Body | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : undefined;
}

export function str(body: Body, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw fail.mandatory(field);
  return v;
}

export function amount(v: unknown, field: string): string {
  const a = obj(v);
  if (!a) throw fail.mandatory(field);
  if (typeof a['value'] !== 'string' || !AMOUNT.test(a['value']) || Number(a['value']) < 1) throw fail.badFormat(`${field}.value`);
  if (a['currency'] !== 'IDR') throw fail.badFormat(`${field}.currency`);
  return a['value'];
}

export function validity(v: unknown, field: string): number {
  if (v === undefined) return Date.now() + FIFTEEN_MIN;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw fail.badFormat(field);
  return Date.parse(v);
}

export function lookup(ctx: RouteContext, kind: TxKind, body: Body): Tx {
  const tx = ctx.store.find(kind, {
    referenceNo: body['originalReferenceNo'],
    partnerReferenceNo: body['originalPartnerReferenceNo'],
    externalId: body['originalExternalId'],
  });
  if (!tx) throw fail.notFound();
  return tx;
}

export function create(
  ctx: RouteContext,
  kind: TxKind,
  method: string,
  partnerReferenceNo: string,
  value: string,
  validUntil: number,
  extra: Body = {},
): Tx {
  if (!REF.test(partnerReferenceNo)) throw fail.badFormat('partnerReferenceNo');
  const limit = ctx.amountLimit(method);
  if (limit !== undefined && Number(value) > limit) throw fail.amountLimit();
  const tx: Tx = {
    referenceNo: ctx.store.newReference(),
    kind,
    method,
    partnerReferenceNo,
    externalId: ctx.externalId,
    amount: value,
    status: '03',
    createdAt: Date.now(),
    validUntil,
    refunds: [],
    extra,
  };
  ctx.store.add(tx);
  return tx;
}

export const money = (value: string) => ({ value, currency: 'IDR' });

export function cancel(ctx: RouteContext, tx: Tx): void {
  if (tx.status !== '03' && tx.status !== '01') throw fail.notPermitted(` Transaction status is ${tx.status}`);
  tx.status = '05';
  ctx.store.record('canceled', tx);
  ctx.onChange(tx);
}

export function refund(ctx: RouteContext, tx: Tx, body: Body): { refundNo: string; value: string; partnerRefundNo: string } {
  const partnerRefundNo = str(body, 'partnerRefundNo');
  if (tx.refunds.some((r) => r.partnerRefundNo === partnerRefundNo)) throw fail.duplicateRefund();
  if (tx.status !== '00' && tx.status !== '04') throw fail.notPermitted(' Transaction is not settled');
  const value = body['refundAmount'] === undefined ? tx.amount : amount(body['refundAmount'], 'refundAmount');
  const refunded = tx.refunds.reduce((s, r) => s + Number(r.amount), 0);
  if (Number(value) + refunded > Number(tx.amount)) throw fail.notPermitted(' Refund amount exceeds the paid amount');
  const refundNo = `R${randomBytes(8).toString('hex')}`;
  tx.refunds.push({ refundNo, partnerRefundNo, amount: value, at: Date.now() });
  tx.status = '04';
  ctx.store.record('refund', tx, value);
  ctx.onChange(tx);
  return { refundNo, value, partnerRefundNo };
}
