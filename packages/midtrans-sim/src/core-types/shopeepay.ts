// ShopeePay: the customer authorises or declines in the app the answer's deeplink opens (the pay page).
import { HOUR, deeplink, type CorePaymentType } from './payment-type.ts';

export const shopeepay: CorePaymentType = {
  paymentType: 'shopeepay',
  requires: [],
  completion: 'pay-page',
  // The simulator's Core API charges have always stayed pending for 24 h.
  expiryMs: 24 * HOUR,
  outcomes: ['pay', 'decline'],
  answer: (_tx, env) => deeplink(env),
};
