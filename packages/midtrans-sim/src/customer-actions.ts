// What moves a transaction from outside the API: the customer paying or refusing, and the
// dashboard's "resend notification".
import { notifyMerchant, type SimContext } from './context.ts';
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

/** The customer authorises a pending payment; false when it is not pending (any more). */
export function pay(ctx: SimContext, tx: Tx): boolean {
  ctx.store.expireIfDue(tx);
  if (tx.status !== '03') return false;
  tx.status = '00';
  tx.paidAt = Date.now();
  if (tx.kind === 'core') tx.extra['transaction_status'] = 'settlement';
  ctx.store.record('paid', tx);
  notifyMerchant(ctx, tx);
  return true;
}

/**
 * The customer refuses in the e-wallet (or the QRIS app): BI-SNAP reports 06 failed, the Core API
 * deny. A card is declined on its 3DS page instead; a virtual account is simply never paid.
 */
export function decline(ctx: SimContext, tx: Tx): boolean {
  ctx.store.expireIfDue(tx);
  if (tx.status !== '03' || tx.kind === 'va' || tx.method === 'credit_card') return false;
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
