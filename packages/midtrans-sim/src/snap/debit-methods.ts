// The BI-SNAP direct-debit pay methods (`payOptionDetails.payMethod`) the simulator's routes take: the
// one list a new e-wallet on the direct-debit family is added to (the plugin generator adds it).
// prettier-ignore
export const DEBIT_PAY_METHODS: readonly string[] = [
  'DANA',
  'GOPAY',
  'SHOPEEPAY',
];
