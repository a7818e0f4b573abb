// What settlement reconciliation compares and what it reports: Midtrans' record of a transaction,
// Paystream's record of an order (from its verified result events), and the closed set of
// differences between them — also the `kind` label of the differences metric.

export const DIFFERENCE_KINDS = [
  /** Succeeded at Midtrans; Paystream never published a succeeded result for it. */
  'missing_in_paystream',
  /** Paystream published succeeded; Midtrans has no such transaction, or one that never succeeded. */
  'missing_at_midtrans',
  /** Both know it, in statuses that differ otherwise (expired at Midtrans, still pending in Paystream). */
  'status_differs',
  /** Both know it, for another amount or currency. */
  'amount_differs',
  /** A Midtrans transaction of the period no Paystream order names. */
  'unknown_to_paystream',
] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

/** Paystream's payment statuses as both sides are compared in them (`action_required` reads as pending). */
export type Status = 'pending' | 'pending_review' | 'succeeded' | 'failed' | 'expired' | 'canceled' | 'refunded';

export interface Money {
  /** Two decimals, as BI-SNAP writes amounts: `"10000.00"`. */
  readonly value: string;
  readonly currency: string;
}

export interface MidtransRecord {
  readonly referenceNo: string;
  readonly partnerReferenceNo?: string;
  /** When Midtrans made the transaction (epoch ms). */
  readonly atMs: number;
  readonly status: Status;
  readonly amount: Money;
  /** Midtrans' payment type (`gopay`, `va-bca`, `credit_card`, …), when reported. */
  readonly paymentType?: string;
  /**
   * `list`: Transaction History List of the period. `detail` and `core-status`: looked up for a
   * Paystream order (History Detail; the Core API status for methods BI-SNAP does not report).
   */
  readonly source: 'list' | 'detail' | 'core-status';
}

export interface PaystreamOrder {
  readonly orderId: string;
  readonly method: string;
  readonly merchant?: string;
  /** The time of its first and of its latest verified result event (epoch ms). */
  readonly firstAtMs: number;
  readonly lastAtMs: number;
  /** Its latest result. */
  readonly status: Status;
  /** Whether any of its results said succeeded (a refunded order had one). */
  readonly succeeded: boolean;
  readonly amount: Money;
  /** Midtrans transaction ids its results named (`referenceNo`, `transactionId`, `paymentRequestId`). */
  readonly transactionIds: readonly string[];
  /** The merchant-side references Midtrans knows it by: the order id, `partnerReferenceNo`, `trxId`, `externalId`. */
  readonly partnerIds: readonly string[];
}

/** One side of a difference, as printed. */
export interface Side {
  readonly status: Status;
  readonly amount: Money;
  readonly atMs: number;
}

export interface Difference {
  readonly kind: DifferenceKind;
  readonly orderId?: string;
  readonly method?: string;
  readonly referenceNo?: string;
  readonly partnerReferenceNo?: string;
  readonly midtrans?: Side;
  readonly paystream?: Side;
}

/** A reconciled period: from inclusive, to exclusive (epoch ms). */
export interface Period {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Whole rupiah as BI-SNAP writes them: 150000 → "150000.00". */
export const rupiah = (value: number): string => value.toFixed(2);

/** Cents of a two-decimal amount, compared as integers (no float equality). */
export const cents = (value: string): number => Math.round(Number(value) * 100);

export const sameMoney = (a: Money, b: Money): boolean => a.currency === b.currency && cents(a.value) === cents(b.value);

/** The Paystream method a Midtrans payment type is charged by, for transactions no order names. */
export function methodOfPaymentType(paymentType: string | undefined): string | undefined {
  if (paymentType === undefined) return undefined;
  if (/^va-/.test(paymentType) || paymentType === 'bank_transfer' || paymentType === 'echannel') return 'va';
  if (paymentType === 'credit_card') return 'card-3ds';
  if (paymentType === 'akulaku' || paymentType === 'kredivo') return 'pay-later';
  return paymentType;
}
