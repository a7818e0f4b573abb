// Admin route that makes Midtrans' books differ from what the merchant was told, for reconciliation
// tests: an amount changed in the ledger, an order expired with no notification, a payment made
// outside the merchant's calls. None of them notifies the merchant: that is the point.
import { randomUUID } from 'node:crypto';
import { DEBIT_PAY_METHODS } from '../snap/debit-methods.ts';
import type { Tx, TxKind } from '../store.ts';
import { send, type AdminCall, type AdminRoutes } from './admin-call.ts';

/** The admin answer: its HTTP status and body. */
type Answer = readonly [number, unknown];

const AMOUNT = /^\d{1,14}\.\d{2}$/;
const REF = /^[A-Za-z0-9\-_~.]{1,64}$/;
const DEBIT = new Set(DEBIT_PAY_METHODS.map((m) => m.toLowerCase()));

const summary = (t: Tx) => ({ referenceNo: t.referenceNo, partnerReferenceNo: t.partnerReferenceNo, amount: t.amount, status: t.status });

/** The transaction's amount (and, for the history endpoints, its currency), in the ledger too. */
function tamperAmount({ ctx, body, tx }: AdminCall): Answer {
  const t = tx();
  const value = body['value'];
  const currency = body['currency'];
  if (!t) return [404, { error: 'no such transaction' }];
  if (value !== undefined && (typeof value !== 'string' || !AMOUNT.test(value))) return [400, { error: 'value is like "10000.00"' }];
  if (currency !== undefined && (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)))
    return [400, { error: 'currency is three capital letters' }];
  if (value === undefined && currency === undefined) return [400, { error: 'give value, currency or both' }];
  if (typeof value === 'string') {
    // Tampering is this route's purpose: the transaction and its ledger entries say the new amount.
    Object.assign(t, { amount: value });
    const ledger = ctx.store.ledger;
    for (let i = 0; i < ledger.length; i++) {
      const e = ledger[i];
      if (e?.referenceNo === t.referenceNo && e.event !== 'refund') ledger[i] = { ...e, amount: value };
    }
  }
  if (typeof currency === 'string') t.extra['currency'] = currency;
  return [200, summary(t)];
}

/** Expired at Midtrans, recorded in the ledger, and no notification sent. */
function expireSilently({ ctx, tx }: AdminCall): Answer {
  const t = tx();
  if (!t) return [404, { error: 'no such transaction' }];
  if (t.status !== '03' && t.status !== '01') return [409, { error: `the transaction is ${t.status}, not pending` }];
  t.status = '08';
  if (t.kind === 'core') t.extra['transaction_status'] = 'expire';
  ctx.store.record('expired', t);
  return [200, summary(t)];
}

/** The BI-SNAP kind a method's transactions are made by, as the charge routes name methods. */
function kindOf(method: string): TxKind | undefined {
  if (DEBIT.has(method)) return 'debit';
  if (method === 'qris') return 'qris';
  return /^va-[a-z]+$/.test(method) ? 'va' : undefined;
}

/** A settled BI-SNAP payment the merchant never asked for: in the store and the ledger, never notified. */
function recordPayment({ ctx, body }: AdminCall): Answer {
  const method = body['method'];
  const value = body['amount'];
  const kind = typeof method === 'string' ? kindOf(method) : undefined;
  const partnerReferenceNo = typeof body['partnerReferenceNo'] === 'string' ? body['partnerReferenceNo'] : `outside-${randomUUID()}`;
  if (!kind || typeof method !== 'string') return [400, { error: 'method is a BI-SNAP method: gopay, shopeepay, dana, qris or va-<bank>' }];
  if (typeof value !== 'string' || !AMOUNT.test(value)) return [400, { error: 'amount is like "10000.00"' }];
  if (!REF.test(partnerReferenceNo)) return [400, { error: 'partnerReferenceNo: 1–64 of A-Z a-z 0-9 - _ ~ .' }];
  const now = Date.now();
  const t: Tx = {
    referenceNo: ctx.store.newReference(),
    kind,
    method,
    partnerReferenceNo,
    externalId: randomUUID(),
    amount: value,
    status: '00',
    createdAt: now,
    validUntil: now + 15 * 60_000,
    paidAt: now,
    refunds: [],
    extra: {},
  };
  ctx.store.add(t);
  ctx.store.record('paid', t);
  return [200, summary(t)];
}

const KINDS: Readonly<Record<string, (call: AdminCall) => Answer>> = {
  amount: tamperAmount,
  expire: expireSilently,
  payment: recordPayment,
};

export const discrepancyRoutes: AdminRoutes = {
  'POST /discrepancy': (call) => {
    const kind = call.body['kind'];
    const act = typeof kind === 'string' && Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
    const [status, answer] = act ? act(call) : [400, { error: `kind is one of ${Object.keys(KINDS).join(', ')}` }];
    send(call.res, status, answer);
  },
};
