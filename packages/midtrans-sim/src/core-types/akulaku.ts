// Akulaku PayLater: the answer's redirect_url takes the customer to the provider (the pay page), who
// approves (settlement) or declines (deny); Midtrans expires an unanswered charge after 2 h.
import { HOUR, type CorePaymentType } from './payment-type.ts';

export const akulaku: CorePaymentType = {
  paymentType: 'akulaku',
  // Midtrans' reference lists item_details and customer_details, yet its sandbox charges Akulaku without them.
  requires: [],
  chargeMessage: 'Success, Akulaku transaction is created',
  completion: 'provider-redirect',
  expiryMs: 2 * HOUR,
  outcomes: ['pay', 'decline'],
  answer: (_tx, env) => ({ redirect_url: env.customerUrl }),
};
