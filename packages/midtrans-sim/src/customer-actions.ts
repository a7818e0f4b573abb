// What moves a transaction from outside the API: the customer paying or refusing, and the
// dashboard's "resend notification".
import { notifyMerchant, type SimContext } from './context.ts';
import { corePaymentType } from './core-types/lookup.ts';
import type { CustomerOutcome } from './core-types/payment-type.ts';
import type { SnapStatus, Tx } from './store.ts';

/** The Core API transaction_status of each BI-SNAP status, for notifications of an earlier state. */
const CORE_STATUS_AT: Record<SnapStatus, string> = {
  '00': 'settlement',
  '01': 'authorize',
  '03': 'pending',
  '04': 'refund',
  '05': 'cancel',
  '06': 'failure',
  '08': 'expire',
  '09': 'deny',
};

/** Whether a Core API charge's payment type lets the customer do this; BI-SNAP payments decide for themselves. */
function coreAllows(tx: Tx, outcome: CustomerOutcome): boolean {
  return tx.kind !== 'core' || corePaymentType(tx.method)?.outcomes.includes(outcome) === true;
}

/** The customer authorises a pending payment; false when it is not pending (any more). */
export function pay(ctx: SimContext, tx: Tx): boolean {
  ctx.store.expireIfDue(tx);
  if (tx.status !== '03' || !coreAllows(tx, 'pay')) return false;
  tx.status = '00';
  tx.paidAt = Date.now();
  if (tx.kind === 'core') tx.extra['transaction_status'] = 'settlement';
  ctx.store.record('paid', tx);
  notifyMerchant(ctx, tx);
  return true;
}

/**
 * The customer refuses in the e-wallet, the QRIS app or at the pay-later provider: BI-SNAP reports 06
 * failed, the Core API deny. A BI-SNAP virtual account is simply never paid; a Core API charge can be
 * declined when its payment type says so (a card is denied on its 3DS page instead).
 */
export function decline(ctx: SimContext, tx: Tx): boolean {
  ctx.store.expireIfDue(tx);
  if (tx.status !== '03' || tx.kind === 'va' || !coreAllows(tx, 'decline')) return false;
  tx.status = tx.kind === 'core' ? '09' : '06';
  if (tx.kind === 'core') tx.extra['transaction_status'] = 'deny';
  ctx.store.record('failed', tx);
  notifyMerchant(ctx, tx);
  return true;
}

/**
 * The transaction's notification again or, given an earlier status, as it was then — a late
 * delivery, which the merchant must not let move the order back.
 */
export function renotify(ctx: SimContext, tx: Tx, status?: SnapStatus): void {
  if (status === undefined || status === tx.status) {
    notifyMerchant(ctx, tx);
    return;
  }
  const coreAt = status === '00' && tx.method === 'credit_card' ? 'capture' : CORE_STATUS_AT[status];
  notifyMerchant(ctx, { ...tx, status, extra: { ...tx.extra, ...(tx.kind === 'core' ? { transaction_status: coreAt } : {}) } });
}
