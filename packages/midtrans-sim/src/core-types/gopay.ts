// GoPay: the customer authorises or declines in the app the answer's deeplink opens (the pay page).
import { HOUR, deeplink, type CorePaymentType } from './payment-type.ts';

export const gopay: CorePaymentType = {
  paymentType: 'gopay',
  requires: [],
  completion: 'pay-page',
  // The simulator's Core API charges have always stayed pending for 24 h; Midtrans' GoPay default is 15 minutes.
  expiryMs: 24 * HOUR,
  outcomes: ['pay', 'decline'],
  answer: (_tx, env) => deeplink(env),
};
