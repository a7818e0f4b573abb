// Mandiri Bill Payment (echannel): the simulator completes it on the pay page its deeplink opens.
import { HOUR, deeplink, type CorePaymentType } from './payment-type.ts';

export const echannel: CorePaymentType = {
  paymentType: 'echannel',
  requires: [],
  completion: 'pay-page',
  expiryMs: 24 * HOUR,
  outcomes: ['pay', 'decline'],
  answer: (_tx, env) => deeplink(env),
};
