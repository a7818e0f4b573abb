// Bank transfer: the charge names a virtual account (BCA unless `bank_transfer.bank` says otherwise)
// and the customer pays by transferring to it, which `/_sim/pay` does given the VA number.
import { text, type Body } from '../core-wire.ts';
import { HOUR, type CorePaymentType } from './payment-type.ts';

export const bankTransfer: CorePaymentType = {
  paymentType: 'bank_transfer',
  requires: [],
  completion: 'va-transfer',
  expiryMs: 24 * HOUR,
  // Declining stays possible, as it always was for the simulator's Core API charges.
  outcomes: ['pay', 'decline'],
  open: (tx, body) => {
    const bank = text((body['bank_transfer'] as Body | undefined)?.['bank'], 'bca');
    Object.assign(tx.extra, { bank, va_number: `8808${String(Date.now()).slice(-8)}` });
    return undefined;
  },
  answer: (tx) => ({ va_numbers: [{ bank: tx.extra['bank'], va_number: tx.extra['va_number'] }] }),
  references: (tx) => [text(tx.extra['va_number'])],
};
