// The comparison itself, pure: Midtrans' transactions of a period against Paystream's orders, every
// difference classified. An order belongs to the period when its first result does, or when a
// Midtrans transaction of the period names it; a transaction belongs when Midtrans made it in the
// period, or when it names an order that belongs (looked up for it, or listed just outside).
import {
  DIFFERENCE_KINDS,
  methodOfPaymentType,
  sameMoney,
  type Difference,
  type DifferenceKind,
  type MidtransRecord,
  type PaystreamOrder,
  type Period,
  type Side,
} from './differences.ts';

export interface ClassifyInput {
  readonly period: Period;
  readonly midtrans: readonly MidtransRecord[];
  readonly orders: readonly PaystreamOrder[];
  /** Only this Paystream method: its orders, and the transactions they (or, unnamed, their payment type) point to. */
  readonly method?: string;
}

const inPeriod = (period: Period, ms: number): boolean => ms >= period.fromMs && ms < period.toMs;

/** Finds the order a Midtrans transaction belongs to: by its transaction id first, then by the merchant's reference. */
class OrderIndex {
  readonly #byTransaction = new Map<string, PaystreamOrder>();
  readonly #byPartner = new Map<string, PaystreamOrder>();

  constructor(orders: readonly PaystreamOrder[]) {
    for (const o of orders) {
      for (const id of o.transactionIds) if (!this.#byTransaction.has(id)) this.#byTransaction.set(id, o);
      for (const id of [o.orderId, ...o.partnerIds]) if (!this.#byPartner.has(id)) this.#byPartner.set(id, o);
    }
  }

  of(m: MidtransRecord): PaystreamOrder | undefined {
    const byId = this.#byTransaction.get(m.referenceNo);
    if (byId) return byId;
    return m.partnerReferenceNo === undefined ? undefined : this.#byPartner.get(m.partnerReferenceNo);
  }
}

/** One record per Midtrans transaction: the one read last (a page read later, a Detail look-up) is the newest. */
function distinct(records: readonly MidtransRecord[]): MidtransRecord[] {
  return [...new Map(records.map((r) => [r.referenceNo, r])).values()];
}

/** Of several transactions naming one order, the one that moved money, else the latest. */
function representative(records: readonly MidtransRecord[]): MidtransRecord | undefined {
  const moved = records.filter((r) => r.status === 'succeeded' || r.status === 'refunded');
  return [...(moved.length > 0 ? moved : records)].sort((a, b) => b.atMs - a.atMs)[0];
}

const sideOf = (o: PaystreamOrder): Side => ({ status: o.status, amount: o.amount, atMs: o.lastAtMs });
const midtransSide = (m: MidtransRecord): Side => ({ status: m.status, amount: m.amount, atMs: m.atMs });

/** The status difference between the two records of one order, if any. */
function statusKind(o: PaystreamOrder, m: MidtransRecord): DifferenceKind | undefined {
  if (m.status === o.status) return undefined;
  if (m.status === 'succeeded' && !o.succeeded) return 'missing_in_paystream';
  // Refunded at Midtrans means it did succeed there: that is a status that differs, not a missing payment.
  if (o.status === 'succeeded' && m.status !== 'refunded') return 'missing_at_midtrans';
  return 'status_differs';
}

function compare(o: PaystreamOrder, m: MidtransRecord | undefined): Difference[] {
  const about = { orderId: o.orderId, method: o.method, paystream: sideOf(o) };
  if (!m) return o.succeeded ? [{ kind: 'missing_at_midtrans', ...about }] : [];
  const found = {
    ...about,
    referenceNo: m.referenceNo,
    ...(m.partnerReferenceNo === undefined ? {} : { partnerReferenceNo: m.partnerReferenceNo }),
    midtrans: midtransSide(m),
  };
  const status = statusKind(o, m);
  return [
    ...(status ? [{ kind: status, ...found }] : []),
    ...(sameMoney(o.amount, m.amount) ? [] : [{ kind: 'amount_differs' as const, ...found }]),
  ];
}

const rank = (k: DifferenceKind): number => DIFFERENCE_KINDS.indexOf(k);

export function classify(input: ClassifyInput): Difference[] {
  const { period, method, orders } = input;
  // Every order is indexed, whatever its method: a transaction of another method's order is not unknown.
  const index = new OrderIndex(orders);
  const listed = new Map<PaystreamOrder, MidtransRecord[]>();
  const elsewhere: { order: PaystreamOrder; record: MidtransRecord }[] = [];
  const unknown: Difference[] = [];
  for (const m of distinct(input.midtrans)) {
    const order = index.of(m);
    if (order && m.source === 'list' && inPeriod(period, m.atMs)) listed.set(order, [...(listed.get(order) ?? []), m]);
    // Looked up for an order, or listed just outside the period: it counts when its order belongs to the period.
    else if (order) elsewhere.push({ order, record: m });
    else if (inPeriod(period, m.atMs) && (method === undefined || methodOfPaymentType(m.paymentType) === method))
      unknown.push(unknownDifference(m));
  }
  const ofMethod = (o: PaystreamOrder): boolean => method === undefined || o.method === method;
  const inScope = new Set(orders.filter((o) => ofMethod(o) && (inPeriod(period, o.firstAtMs) || listed.has(o))));
  const records = new Map(listed);
  for (const { order, record } of elsewhere) if (inScope.has(order)) records.set(order, [...(records.get(order) ?? []), record]);
  const found = [...inScope].flatMap((o) => compare(o, representative(records.get(o) ?? [])));
  return [...found, ...unknown].sort(
    (a, b) => rank(a.kind) - rank(b.kind) || (a.orderId ?? a.referenceNo ?? '').localeCompare(b.orderId ?? b.referenceNo ?? ''),
  );
}

/**
 * The orders of the period (by their first result) that no listed transaction names: the ones whose
 * Midtrans transaction is looked up one by one (made just before the period, or not listed at all).
 */
export function unlisted(period: Period, orders: readonly PaystreamOrder[], listed: readonly MidtransRecord[]): PaystreamOrder[] {
  const index = new OrderIndex(orders);
  const named = new Set(listed.map((m) => index.of(m)));
  return orders.filter((o) => inPeriod(period, o.firstAtMs) && !named.has(o));
}

function unknownDifference(m: MidtransRecord): Difference {
  const method = methodOfPaymentType(m.paymentType);
  return {
    kind: 'unknown_to_paystream',
    referenceNo: m.referenceNo,
    ...(m.partnerReferenceNo === undefined ? {} : { partnerReferenceNo: m.partnerReferenceNo }),
    ...(method === undefined ? {} : { method }),
    midtrans: midtransSide(m),
  };
}
