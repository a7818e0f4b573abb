// Over the counter (`cstore`): the charge answers a payment code that the customer pays in cash at
// an Indomaret or Alfamart counter. There is nothing to decline: an unpaid code expires (24 h).
import { randomInt } from 'node:crypto';
import { text, type Body } from '../core-wire.ts';
import { HOUR, type CorePaymentType } from './payment-type.ts';

/** The digits of each store's payment codes, as Midtrans' samples show them. */
const CODE_DIGITS: Readonly<Record<string, number>> = { indomaret: 12, alfamart: 16 };

/** Midtrans takes the store in any case (`Indomaret`) and answers it in lower case. */
const storeOf = (body: Body): string => text((body['cstore'] as Body | undefined)?.['store']).toLowerCase();

const paymentCode = (digits: number): string => Array.from({ length: digits }, () => String(randomInt(10))).join('');

export const cstore: CorePaymentType = {
  paymentType: 'cstore',
  requires: ['cstore', 'cstore.store'],
  check: (body) => (Object.hasOwn(CODE_DIGITS, storeOf(body)) ? undefined : 'cstore.store is invalid'),
  chargeMessage: 'Success, cstore transaction is successful',
  completion: 'counter',
  expiryMs: 24 * HOUR,
  outcomes: ['pay'],
  open: (tx, body) => {
    const store = storeOf(body);
    // Midtrans repeats the code and the store in the status and in every notification.
    tx.extra['statusFields'] = { payment_code: paymentCode(CODE_DIGITS[store] ?? 16), store };
    return undefined;
  },
  answer: () => ({}),
  references: (tx) => [text((tx.extra['statusFields'] as Body | undefined)?.['payment_code'])],
};
