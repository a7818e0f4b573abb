// Paystream's side of a period, pure: verified payment events folded into one record per order —
// its first and latest result, whether it ever succeeded, and every Midtrans reference it named.
import type { PaymentEvent, PaymentStatus } from '@paystream/contracts';
import { rupiah, type PaystreamOrder, type Status } from './differences.ts';

/** The `data.midtrans` entries that hold Midtrans' own transaction id, and those that hold the merchant's references. */
const TRANSACTION_ID_FIELDS = ['referenceNo', 'transactionId', 'paymentRequestId'] as const;
const PARTNER_ID_FIELDS = ['partnerReferenceNo', 'trxId', 'externalId'] as const;

/** `action_required` is pending as Midtrans sees it: a transaction waiting for its customer. */
export const comparable = (s: PaymentStatus): Status => (s === 'action_required' ? 'pending' : s);

interface Folding {
  first: PaymentEvent;
  latest: PaymentEvent;
  succeeded: boolean;
  readonly transactionIds: Set<string>;
  readonly partnerIds: Set<string>;
}

const timeOf = (e: PaymentEvent): number => Date.parse(e.time);

function collect(f: Folding, e: PaymentEvent): void {
  for (const k of TRANSACTION_ID_FIELDS) if (e.data.midtrans[k]) f.transactionIds.add(e.data.midtrans[k]);
  for (const k of PARTNER_ID_FIELDS) if (e.data.midtrans[k]) f.partnerIds.add(e.data.midtrans[k]);
  if (e.data.status === 'succeeded') f.succeeded = true;
}

/**
 * One record per order of `events` (in the order they were read). An event read twice (the same id:
 * republished, or written twice across a crash) counts once; the latest result is the one with the
 * latest time, the one read later among equal times.
 */
export function foldOrders(events: readonly PaymentEvent[]): PaystreamOrder[] {
  const seen = new Set<string>();
  const orders = new Map<string, Folding>();
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const f = orders.get(e.data.orderId);
    if (!f) {
      const fresh: Folding = { first: e, latest: e, succeeded: false, transactionIds: new Set(), partnerIds: new Set() };
      collect(fresh, e);
      orders.set(e.data.orderId, fresh);
      continue;
    }
    collect(f, e);
    if (timeOf(e) < timeOf(f.first)) f.first = e;
    if (timeOf(e) >= timeOf(f.latest)) f.latest = e;
  }
  return [...orders.values()].map(toOrder);
}

function toOrder(f: Folding): PaystreamOrder {
  const { data } = f.latest;
  return {
    orderId: data.orderId,
    method: data.method,
    ...(data.merchant === undefined ? {} : { merchant: data.merchant }),
    firstAtMs: timeOf(f.first),
    lastAtMs: timeOf(f.latest),
    status: comparable(data.status),
    succeeded: f.succeeded,
    amount: { value: rupiah(data.amount.value), currency: data.amount.currency },
    transactionIds: [...f.transactionIds],
    partnerIds: [...f.partnerIds],
  };
}
