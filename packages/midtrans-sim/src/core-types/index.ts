// Every Core API payment type the simulator accepts. A new type is a file beside these and one
// import plus one line in the list below (both kept sorted, one identifier per line).
import type { CorePaymentType } from './payment-type.ts';

import { akulaku } from './akulaku.ts';
import { bankTransfer } from './bank-transfer.ts';
import { creditCard } from './credit-card.ts';
import { cstore } from './cstore.ts';
import { echannel } from './echannel.ts';
import { gopay } from './gopay.ts';
import { kredivo } from './kredivo.ts';
import { qris } from './qris.ts';
import { shopeepay } from './shopeepay.ts';

// One line per type, however short the list, so that registering a type adds exactly one line.
// prettier-ignore
export const CORE_PAYMENT_TYPES: readonly CorePaymentType[] = [
  akulaku,
  bankTransfer,
  creditCard,
  cstore,
  echannel,
  gopay,
  kredivo,
  qris,
  shopeepay,
];
