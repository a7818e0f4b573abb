// Kredivo: the answer's redirect_url takes the customer to the provider (the pay page), who approves
// (settlement) or declines (deny); Midtrans expires an unanswered charge after 24 h.
import { HOUR, type CorePaymentType } from './payment-type.ts';

export const kredivo: CorePaymentType = {
  paymentType: 'kredivo',
  // Midtrans' reference lists item_details and customer_details; not refusing without them keeps
  // the simulator from rejecting a charge the sandbox might accept.
  requires: [],
  chargeMessage: 'Kredivo transaction is created',
  completion: 'provider-redirect',
  expiryMs: 24 * HOUR,
  outcomes: ['pay', 'decline'],
  answer: (_tx, env) => ({ redirect_url: env.customerUrl }),
};
