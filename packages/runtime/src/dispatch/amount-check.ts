// What Midtrans reports is believed only for the order we charged: the amount and currency of an
// inquiry must be the charge's, and a success must name them — a success we cannot check is not one.
import type { Amount } from '@paystream/contracts';
import type { PaymentUpdate } from '@paystream/plugin-sdk';

/** Why the update cannot be the charged order's, in words; undefined when it matches. */
export function amountMismatch(update: PaymentUpdate, charged: Amount): string | undefined {
  if (update.currency !== undefined && update.currency !== charged.currency)
    return `currency mismatch: ${update.currency} ≠ ${charged.currency}`;
  if (update.amount !== undefined && update.amount !== charged.value)
    return `amount mismatch: ${String(update.amount)} ≠ ${String(charged.value)}`;
  if (update.status === 'succeeded' && update.amount === undefined)
    return 'amount unverifiable: Midtrans reported success without an amount';
  return undefined;
}
