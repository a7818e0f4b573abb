// Helpers that keep plugins declarative: amounts on the wire, and the exhaustive status tables of
// BI-SNAP and the Core API. Only an explicit success is success; anything unknown is pending and
// will be settled by a status inquiry (never a false success, never a false failure).
import type { PaymentStatus } from '@paystream/contracts';

/** BI-SNAP amounts are strings with exactly two decimals: 150000 → "150000.00". */
export function snapAmount(rupiah: number): { value: string; currency: 'IDR' } {
  if (!Number.isSafeInteger(rupiah) || rupiah < 1) throw new RangeError('amount must be a positive whole number of rupiah');
  return { value: `${String(rupiah)}.00`, currency: 'IDR' };
}

/** "150000.00" → 150000; undefined for anything that is not a two-decimal amount. */
export function rupiahOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,14}\.\d{2}$/.test(value)) return undefined;
  return Number(value.slice(0, -3)) + Number(value.slice(-2)) / 100;
}

/**
 * A BI-SNAP money object (`{ value: "150000.00", currency: "IDR" }`) as the fields of a PaymentUpdate,
 * so the runtime can check both against what was charged. Nothing is set for what cannot be read.
 */
export function moneyOf(money: unknown): { amount?: number; currency?: string } {
  if (money === null || typeof money !== 'object') return {};
  const { value, currency } = money as Record<string, unknown>;
  const amount = rupiahOf(value);
  return { ...(amount === undefined ? {} : { amount }), ...(typeof currency === 'string' ? { currency } : {}) };
}

export const SNAP_STATUS = {
  '00': 'succeeded',
  '01': 'pending',
  '02': 'pending',
  '03': 'pending',
  '04': 'refunded',
  '05': 'canceled',
  '06': 'failed',
  '07': 'pending',
  '08': 'expired',
  '09': 'failed',
} as const satisfies Record<string, PaymentStatus>;

/** `latestTransactionStatus` / `paymentFlagStatus` → status; unknown codes are pending. */
export function snapStatus(code: unknown): PaymentStatus {
  return typeof code === 'string' && Object.hasOwn(SNAP_STATUS, code) ? SNAP_STATUS[code as keyof typeof SNAP_STATUS] : 'pending';
}

/** Core API `transaction_status` + `fraud_status` → status (Midtrans reference §8.6). */
export function coreStatus(transactionStatus: unknown, fraudStatus: unknown): PaymentStatus {
  switch (transactionStatus) {
    case 'settlement':
      return 'succeeded';
    case 'capture':
      return fraudStatus === 'challenge' ? 'pending_review' : fraudStatus === 'deny' ? 'failed' : 'succeeded';
    case 'deny':
    case 'failure':
      return 'failed';
    case 'expire':
      return 'expired';
    case 'cancel':
      return 'canceled';
    case 'refund':
    case 'partial_refund':
      return 'refunded';
    default:
      return 'pending';
  }
}
