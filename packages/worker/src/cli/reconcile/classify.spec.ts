// The classifier: every kind of difference, the period's boundaries, currency, duplicates on either
// side, the method filter, and no difference where the two sides agree.
import { describe, expect, it } from 'vitest';
import { classify, unlisted } from './classify.ts';
import type { MidtransRecord, PaystreamOrder } from './differences.ts';

const T0 = Date.parse('2026-03-01T00:00:00+07:00');
const HOUR = 3_600_000;
const period = { fromMs: T0, toMs: T0 + 24 * HOUR };
const idr = (value: string) => ({ value, currency: 'IDR' });

function order(n: number, o: Partial<PaystreamOrder> = {}): PaystreamOrder {
  return {
    orderId: `order-${String(n)}`,
    method: 'gopay',
    firstAtMs: T0 + HOUR,
    lastAtMs: T0 + HOUR + 60_000,
    status: 'succeeded',
    succeeded: true,
    amount: idr('10000.00'),
    transactionIds: [`A1-${String(n)}`],
    partnerIds: [`order-${String(n)}`],
    ...o,
  };
}

function tx(n: number, m: Partial<MidtransRecord> = {}): MidtransRecord {
  return {
    referenceNo: `A1-${String(n)}`,
    partnerReferenceNo: `order-${String(n)}`,
    atMs: T0 + HOUR - 1_000,
    status: 'succeeded',
    amount: idr('10000.00'),
    paymentType: 'gopay',
    source: 'list',
    ...m,
  };
}

const kinds = (midtrans: MidtransRecord[], orders: PaystreamOrder[], method?: string) =>
  classify({ period, midtrans, orders, ...(method ? { method } : {}) }).map((d) => [d.kind, d.orderId ?? d.referenceNo]);

describe('classify', () => {
  it('finds nothing when every transaction and order agree, whatever their status', () => {
    const orders = [order(1), order(2, { status: 'expired', succeeded: false }), order(3, { status: 'refunded' })];
    const midtrans = [tx(1), tx(2, { status: 'expired' }), tx(3, { status: 'refunded' })];
    expect(classify({ period, midtrans, orders })).toEqual([]);
  });

  it('classifies every kind, each with both sides', () => {
    const orders = [
      order(1, { status: 'pending', succeeded: false }),
      order(2),
      order(3, { status: 'pending', succeeded: false }),
      order(4, { amount: idr('15000.00') }),
      order(5),
    ];
    const midtrans = [tx(1), tx(3, { status: 'expired' }), tx(4), tx(5, { status: 'pending' }), tx(9, { partnerReferenceNo: 'elsewhere' })];
    expect(kinds(midtrans, orders)).toEqual([
      ['missing_in_paystream', 'order-1'],
      ['missing_at_midtrans', 'order-2'],
      ['missing_at_midtrans', 'order-5'],
      ['status_differs', 'order-3'],
      ['amount_differs', 'order-4'],
      ['unknown_to_paystream', 'A1-9'],
    ]);
    const [missing] = classify({ period, midtrans, orders });
    expect(missing).toMatchObject({
      orderId: 'order-1',
      method: 'gopay',
      referenceNo: 'A1-1',
      midtrans: { status: 'succeeded', amount: idr('10000.00') },
      paystream: { status: 'pending', amount: idr('10000.00') },
    });
  });

  it('reads a refund on one side only as a status that differs, not a missing payment', () => {
    expect(kinds([tx(1, { status: 'refunded' }), tx(2)], [order(1), order(2, { status: 'refunded' })])).toEqual([
      ['status_differs', 'order-1'],
      ['status_differs', 'order-2'],
    ]);
  });

  it('compares the currency with the amount, and reports a status and an amount that both differ', () => {
    expect(kinds([tx(1, { amount: { value: '10000.00', currency: 'USD' } })], [order(1)])).toEqual([['amount_differs', 'order-1']]);
    expect(kinds([tx(2, { amount: idr('10000.0') })], [order(2)])).toEqual([]);
    expect(kinds([tx(3, { status: 'expired', amount: idr('1.00') })], [order(3, { status: 'pending', succeeded: false })])).toEqual([
      ['status_differs', 'order-3'],
      ['amount_differs', 'order-3'],
    ]);
  });

  it('takes a transaction made at the period start and leaves one made at its end to the next period', () => {
    const unknownAt = (atMs: number) => kinds([tx(7, { atMs, partnerReferenceNo: 'x' })], []);
    expect(unknownAt(period.fromMs)).toEqual([['unknown_to_paystream', 'A1-7']]);
    expect(unknownAt(period.fromMs - 1)).toEqual([]);
    expect(unknownAt(period.toMs - 1)).toEqual([['unknown_to_paystream', 'A1-7']]);
    expect(unknownAt(period.toMs)).toEqual([]);
  });

  it('leaves an order whose first result is after the period alone, and takes one whose transaction is in it', () => {
    const late = order(1, { firstAtMs: period.toMs });
    expect(kinds([], [late])).toEqual([]);
    const early = order(2, { firstAtMs: period.fromMs - 60_000, amount: idr('1.00') });
    expect(kinds([tx(2, { atMs: period.fromMs + 5 })], [early])).toEqual([['amount_differs', 'order-2']]);
  });

  it('compares an order of the period with its transaction listed or looked up outside it, never calling it missing', () => {
    const first = order(1, { firstAtMs: period.fromMs + 10, amount: idr('2.00') });
    expect(kinds([tx(1, { atMs: period.fromMs - 500 })], [first])).toEqual([['amount_differs', 'order-1']]);
    expect(kinds([tx(1, { atMs: period.fromMs - 500, source: 'detail' })], [first])).toEqual([['amount_differs', 'order-1']]);
    // A look-up made for an order outside the period does not bring it in.
    expect(kinds([tx(2, { source: 'core-status' })], [order(2, { firstAtMs: period.toMs + 1, amount: idr('3.00') })])).toEqual([]);
  });

  it("finds an order by Midtrans' id first, else by any reference the merchant made it with", () => {
    const va = order(1, { method: 'va', transactionIds: [], partnerIds: ['trx-uuid-1'] });
    const qris = order(2, { method: 'qris', transactionIds: [], partnerIds: ['ext-2'] });
    const renamed = order(3, { partnerIds: [] });
    const midtrans = [
      tx(11, { partnerReferenceNo: 'trx-uuid-1' }),
      tx(12, { partnerReferenceNo: 'ext-2' }),
      tx(3, { partnerReferenceNo: 'not-the-order' }),
    ];
    expect(kinds(midtrans, [va, qris, renamed])).toEqual([]);
  });

  it('counts a transaction listed twice once, as last read, and of two transactions of one order the one that was paid', () => {
    expect(kinds([tx(1, { status: 'pending' }), tx(1)], [order(1)])).toEqual([]);
    expect(kinds([tx(1), tx(1, { status: 'pending' })], [order(1)])).toEqual([['missing_at_midtrans', 'order-1']]);
    const retried = [tx(2, { status: 'expired', atMs: T0 + 10 }), tx(22, { partnerReferenceNo: 'order-2', atMs: T0 + 20 })];
    expect(kinds(retried, [order(2)])).toEqual([]);
  });

  it('keeps to one method: its orders, and the unnamed transactions of its payment type', () => {
    const orders = [order(1, { status: 'pending', succeeded: false }), order(2, { method: 'va', status: 'pending', succeeded: false })];
    const midtrans = [tx(1), tx(2), tx(8, { partnerReferenceNo: 'a', paymentType: 'va-bca' }), tx(9, { partnerReferenceNo: 'b' })];
    expect(kinds(midtrans, orders, 'va')).toEqual([
      ['missing_in_paystream', 'order-2'],
      ['unknown_to_paystream', 'A1-8'],
    ]);
    expect(kinds(midtrans, orders, 'gopay')).toEqual([
      ['missing_in_paystream', 'order-1'],
      ['unknown_to_paystream', 'A1-9'],
    ]);
  });
});

describe('unlisted', () => {
  it('names the orders of the period no listed transaction names', () => {
    const orders = [order(1), order(2), order(3, { firstAtMs: period.toMs })];
    expect(unlisted(period, orders, [tx(1)]).map((o) => o.orderId)).toEqual(['order-2']);
  });
});
