// QRIS: the customer's e-wallet app pays or refuses the QR; the answer's deeplink opens the pay page.
import { HOUR, deeplink, type CorePaymentType } from './payment-type.ts';

export const qris: CorePaymentType = {
  paymentType: 'qris',
  requires: [],
  completion: 'pay-page',
  // The simulator's Core API charges have always stayed pending for 24 h; Midtrans' QRIS default is 15 minutes.
  expiryMs: 24 * HOUR,
  outcomes: ['pay', 'decline'],
  answer: (_tx, env) => deeplink(env),
};
