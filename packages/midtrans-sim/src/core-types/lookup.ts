// The Core API payment types by `payment_type`, built once from the list in index.ts.
import { CORE_PAYMENT_TYPES } from './index.ts';
import type { CorePaymentType } from './payment-type.ts';

const BY_PAYMENT_TYPE = new Map<string, CorePaymentType>();
for (const row of CORE_PAYMENT_TYPES) {
  // Two rows for one payment_type would leave one silently unused.
  if (BY_PAYMENT_TYPE.has(row.paymentType)) throw new Error(`Core API payment type ${row.paymentType} is declared twice`);
  BY_PAYMENT_TYPE.set(row.paymentType, row);
}

export function corePaymentType(paymentType: string): CorePaymentType | undefined {
  return BY_PAYMENT_TYPE.get(paymentType);
}
