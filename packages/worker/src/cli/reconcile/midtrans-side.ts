// Midtrans' side of a period: every page of BI-SNAP's Transaction History List, then, one by one, the
// orders of the period no listed transaction names — by History Detail, or by the Core API status for
// the methods BI-SNAP does not report. Every call goes through core's Midtrans client.
import { z } from 'zod';
import { codes, createError, TransactionHistory, type HistoryTransaction, type MidtransApi } from '@paystream/core';
import { coreStatus, snapStatus } from '@paystream/plugin-sdk';
import { rupiah, type MidtransRecord, type PaystreamOrder, type Status } from './differences.ts';

/** The status words of history rows that carry no two-digit status; anything else is pending, never a success. */
const WORDS: Readonly<Record<string, Status>> = {
  SUCCESS: 'succeeded',
  REFUNDED: 'refunded',
  CANCELLED: 'canceled',
  CANCELED: 'canceled',
  FAILED: 'failed',
  REJECTED: 'failed',
  CLOSED: 'failed',
  EXPIRED: 'expired',
};

const comparableSnap = (s: ReturnType<typeof snapStatus>): Status => (s === 'action_required' ? 'pending' : s);

export function recordOf(t: HistoryTransaction, source: 'list' | 'detail'): MidtransRecord {
  const status = t.statusCode !== undefined ? comparableSnap(snapStatus(t.statusCode)) : (WORDS[t.status.toUpperCase()] ?? 'pending');
  return {
    referenceNo: t.referenceNo,
    ...(t.partnerReferenceNo === undefined ? {} : { partnerReferenceNo: t.partnerReferenceNo }),
    atMs: t.atMs,
    status,
    amount: t.amount,
    ...(t.paymentType === undefined ? {} : { paymentType: t.paymentType }),
    source,
  };
}

/** Every payment Midtrans lists for [fromMs, toMs); Midtrans selects whole seconds, inclusive at both ends. */
export async function listPeriod(history: TransactionHistory, fromMs: number, toMs: number): Promise<MidtransRecord[]> {
  const period = { from: new Date(fromMs), to: new Date(Math.ceil(toMs / 1000) * 1000), types: ['PAYMENT'] };
  return (await history.all(period)).map((t) => recordOf(t, 'list'));
}

const CORE_STATUS_PATH = '/v2/:orderId/status';
const CoreStatus = z.looseObject({
  transaction_id: z.string().min(1),
  order_id: z.string().min(1),
  gross_amount: z.string().regex(/^\d{1,16}(\.\d{1,2})?$/),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  transaction_status: z.string().min(1),
  fraud_status: z.string().optional(),
  // Midtrans writes Western Indonesian Time without a zone: "2026-03-01 10:00:00".
  transaction_time: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
  payment_type: z.string().optional(),
});

/** A Core API order's transaction by `GET /v2/{order_id}/status`; undefined when Midtrans has none. */
export async function coreRecord(api: MidtransApi, orderId: string, merchant: string | undefined): Promise<MidtransRecord | undefined> {
  const path = `/v2/${encodeURIComponent(orderId)}/status` as const;
  const o = await api.coreApi({ method: 'GET', path, ...(merchant === undefined ? {} : { merchant }) });
  if (!o.ok && o.kind === 'not-found') return undefined;
  if (!o.ok)
    throw createError(codes.PS_ERR_RECONCILE_HISTORY_REFUSED, {
      path: CORE_STATUS_PATH,
      answer: o.statusCode ?? `HTTP ${String(o.httpStatus)}`,
      reason: o.message,
    });
  const read = CoreStatus.safeParse(o.body);
  if (!read.success) {
    const issue = read.error.issues[0];
    throw createError(codes.PS_ERR_RECONCILE_HISTORY_INVALID, {
      path: CORE_STATUS_PATH,
      reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
    });
  }
  const s = read.data;
  const status = coreStatus(s.transaction_status, s.fraud_status);
  return {
    referenceNo: s.transaction_id,
    partnerReferenceNo: s.order_id,
    atMs: Date.parse(`${s.transaction_time.replace(' ', 'T')}+07:00`),
    status: status === 'action_required' ? 'pending' : status,
    amount: { value: rupiah(Number(s.gross_amount)), currency: s.currency ?? 'IDR' },
    ...(s.payment_type === undefined ? {} : { paymentType: s.payment_type }),
    source: 'core-status',
  };
}

export interface LookUp {
  readonly api: MidtransApi;
  readonly history: TransactionHistory;
  /** Whether a method is charged through the Core API (its plugin's `api`). */
  readonly isCore: (method: string) => boolean;
  readonly merchant?: string;
}

/** The Midtrans record of one order no listed transaction names, if Midtrans has one. */
async function lookUpOne(l: LookUp, o: PaystreamOrder): Promise<MidtransRecord | undefined> {
  if (l.isCore(o.method)) return coreRecord(l.api, o.orderId, l.merchant);
  const referenceNo = o.transactionIds[0];
  // History Detail needs both references; an order that never learnt Midtrans' id cannot be looked up.
  if (referenceNo === undefined) return undefined;
  const t = await l.history.detail({ partnerReferenceNo: o.partnerIds[0] ?? o.orderId, referenceNo });
  return t && recordOf(t, 'detail');
}

/** Looks the orders up a few at a time: Midtrans is asked no faster than a handful of calls at once. */
export async function lookUp(l: LookUp, orders: readonly PaystreamOrder[], concurrency = 8): Promise<MidtransRecord[]> {
  const found: MidtransRecord[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < orders.length) {
      const order = orders[next++];
      const record = order && (await lookUpOne(l, order));
      if (record) found.push(record);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, orders.length) }, worker));
  return found;
}
