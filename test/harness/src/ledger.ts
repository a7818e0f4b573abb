// The simulator's ledger as the oracle of money movement: every order of the run charged exactly
// once, whatever was redelivered, retried or replayed on the way.
import type { PaymentCommand } from '@paystream/contracts';
import type { LedgerEntry } from '@paystream/midtrans-sim';
import { deriveIds } from '@paystream/runtime';

export interface LedgerReport {
  /** Charges per order id. */
  readonly charges: ReadonlyMap<string, number>;
  /** Payments (the customer paid) per order id. */
  readonly paid: ReadonlyMap<string, number>;
  /** Charge entries that belong to none of the commands given. */
  readonly strangers: number;
  /** Every order not charged exactly once, and every stranger charge, in words. */
  readonly problems: readonly string[];
}

/**
 * Matches ledger entries to charge commands: BI-SNAP direct debit and the Core API name the order
 * itself, QRIS names the charge's X-EXTERNAL-ID (derived from the commandId).
 */
export function checkLedger(ledger: readonly LedgerEntry[], charges: readonly PaymentCommand[]): LedgerReport {
  const orderOf = new Map<string, string>();
  for (const c of charges) {
    orderOf.set(c.orderId, c.orderId);
    orderOf.set(deriveIds(c.commandId).externalId, c.orderId);
  }
  const count = (event: LedgerEntry['event']): { per: Map<string, number>; strangers: number } => {
    const per = new Map<string, number>();
    let strangers = 0;
    for (const e of ledger) {
      if (e.event !== event) continue;
      const order = orderOf.get(e.partnerReferenceNo);
      if (order) per.set(order, (per.get(order) ?? 0) + 1);
      else strangers++;
    }
    return { per, strangers };
  };
  const charged = count('charge');
  const paid = count('paid');
  const orders = [...new Set(charges.map((c) => c.orderId))];
  const problems = orders.filter((o) => charged.per.get(o) !== 1).map((o) => `order ${o} charged ${String(charged.per.get(o) ?? 0)} times`);
  if (charged.strangers > 0) problems.push(`${String(charged.strangers)} charges belong to no command of the run`);
  return { charges: charged.per, paid: paid.per, strangers: charged.strangers, problems };
}
