// BI-SNAP reporting: Transaction History List (service 12) and Transaction History Detail (13),
// over the transactions made through BI-SNAP. Midtrans documents the requests; the rows' fields,
// their status words and the paging's end are this simulator's choices (docs/simulator.md).
import { fail } from '../codes.ts';
import type { SnapStatus, Tx, TxKind } from '../store.ts';
import { obj, str, type Body, type Route, type RouteContext } from './common.ts';

/** How far back Midtrans reports ("limited to the latest of 6 months"), and its default period. */
const SIX_MONTHS_MS = 183 * 24 * 3_600_000;
const THREE_MONTHS_MS = 92 * 24 * 3_600_000;
const PAGE_SIZE = { default: 10, max: 50 };
const WIB_MS = 7 * 3_600_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The words of the BI-SNAP status table, as QRIS's `transactionStatusDesc` spells them. */
const STATUS_TEXT: Record<SnapStatus, string> = {
  '00': 'SUCCESS',
  '01': 'INITIATED',
  '03': 'PENDING',
  '04': 'REFUNDED',
  '05': 'CANCELLED',
  '06': 'FAILED',
  '08': 'EXPIRED',
  '09': 'REJECTED',
};

/** The service code of the request that made each kind of BI-SNAP transaction. */
const CHARGE_SERVICE: Partial<Record<TxKind, string>> = { debit: '54', qris: '47', va: '27' };

/** `yyyy-MM-ddTHH:mm:ss+07:00`: Western Indonesian Time without a fraction, as Midtrans writes dates. */
export const wibDateTime = (ms: number): string => `${new Date(ms + WIB_MS).toISOString().slice(0, 19)}+07:00`;

const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

function dateField(body: Body, field: string, fallback: number): number {
  const v = body[field];
  if (v === undefined || v === '') return fallback;
  if (typeof v !== 'string' || !RFC3339.test(v) || Number.isNaN(Date.parse(v))) throw fail.badFormat(field);
  return Date.parse(v);
}

function intField(body: Body, field: string, fallback: number, min: number, max: number): number {
  const v = body[field];
  if (v === undefined) return fallback;
  // Midtrans types them as int; other SNAP providers send digit strings, which are read alike.
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw fail.badFormat(field);
  return n;
}

/** The row of one transaction; its identifiers sit in additionalInfo, as SNAP history lists carry them. */
function historyRow(tx: Tx): Body {
  const refunded = tx.refunds.reduce((sum, r) => sum + Number(r.amount), 0);
  return {
    dateTime: wibDateTime(tx.createdAt),
    amount: { value: tx.amount, currency: typeof tx.extra['currency'] === 'string' ? tx.extra['currency'] : 'IDR' },
    status: STATUS_TEXT[tx.status],
    type: 'PAYMENT',
    additionalInfo: {
      referenceNo: tx.referenceNo,
      partnerReferenceNo: tx.partnerReferenceNo,
      latestTransactionStatus: tx.status,
      serviceCode: CHARGE_SERVICE[tx.kind] ?? '00',
      paymentType: tx.method,
      ...(tx.paidAt ? { paidTime: wibDateTime(tx.paidAt) } : {}),
      ...(refunded > 0 ? { refundAmount: { value: refunded.toFixed(2), currency: 'IDR' } } : {}),
    },
  };
}

/** What a list request selects: the period (inclusive, to the second), the optional filters. */
function listQuery(body: Body) {
  const now = Date.now();
  const from = dateField(body, 'fromDateTime', now - THREE_MONTHS_MS);
  const to = dateField(body, 'toDateTime', now);
  if (from < now - SIX_MONTHS_MS) throw fail.badFormat('fromDateTime');
  if (to < from) throw fail.badFormat('toDateTime');
  const types = obj(body['additionalInfo'])?.['types'];
  if (types !== undefined && (!Array.isArray(types) || types.some((t) => typeof t !== 'string')))
    throw fail.badFormat('additionalInfo.types');
  return {
    from: seconds(from),
    to: seconds(to),
    pageSize: intField(body, 'pageSize', PAGE_SIZE.default, 1, PAGE_SIZE.max),
    pageNumber: intField(body, 'pageNumber', 0, 0, 1_000_000),
    referenceNo: typeof body['referenceNo'] === 'string' && body['referenceNo'] !== '' ? body['referenceNo'] : undefined,
    partnerReferenceNo:
      typeof body['partnerReferenceNo'] === 'string' && body['partnerReferenceNo'] !== '' ? body['partnerReferenceNo'] : undefined,
    // Every row is a payment: a list asking for other types only is empty.
    payments: types === undefined || types.length === 0 || types.includes('PAYMENT'),
  };
}

function listPage(body: Body, ctx: RouteContext): Tx[] {
  const q = listQuery(body);
  if (!q.payments) return [];
  const selected: Tx[] = [];
  for (const tx of ctx.store.transactions.values()) {
    const at = seconds(tx.createdAt);
    if (tx.kind === 'core' || at < q.from || at > q.to) continue;
    if ((q.referenceNo && tx.referenceNo !== q.referenceNo) || (q.partnerReferenceNo && tx.partnerReferenceNo !== q.partnerReferenceNo))
      continue;
    selected.push(tx);
  }
  // Oldest first, ties by reference: a stable order, so that page n + 1 continues page n.
  selected.sort((a, b) => a.createdAt - b.createdAt || (a.referenceNo < b.referenceNo ? -1 : 1));
  const page = selected.slice(q.pageNumber * q.pageSize, (q.pageNumber + 1) * q.pageSize);
  // A pending transaction past its validity is reported expired, as every other look-up does.
  for (const tx of page) ctx.store.expireIfDue(tx);
  return page;
}

export const historyRoutes: Record<string, Route> = {
  '/v1.0/transaction-history-list': {
    service: '12',
    handle: (body, ctx) => ({ body: { detailData: listPage(body, ctx).map(historyRow) } }),
  },
  '/v1.0/transaction-history-detail': {
    service: '13',
    handle: (body, ctx) => {
      const partnerReferenceNo = str(body, 'originalPartnerReferenceNo');
      const referenceNo = obj(body['additionalInfo'])?.['referenceNo'];
      if (typeof referenceNo !== 'string' || referenceNo === '') throw fail.mandatory('additionalInfo.referenceNo');
      const tx = ctx.store.transactions.get(referenceNo);
      if (!tx || tx.kind === 'core' || tx.partnerReferenceNo !== partnerReferenceNo) throw fail.notFound();
      ctx.store.expireIfDue(tx);
      return { body: { referenceNo: tx.referenceNo, partnerReferenceNo: tx.partnerReferenceNo, ...historyRow(tx) } };
    },
  },
};
