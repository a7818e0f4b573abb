// The BI-SNAP end-customer authentication table (docs/plugins.md, "The end-customer authentication
// table") as data, so `--auth=<row>` writes a row exactly as the table and the existing plugins say it.
// generator.spec.ts checks every row against the page, so the two cannot drift apart.

export interface AuthRow {
  /** What `--auth` names, e.g. `qris`. */
  readonly row: string;
  /** The payment method as the table's first column names it. */
  readonly method: string;
  /** The plugin's `customerAuthentication.description`. */
  readonly description: string;
  /** The factors, as the table's last column lists them (joined by " + "). */
  readonly factors: readonly string[];
}

export const AUTH_TABLE: readonly AuthRow[] = [
  {
    row: 'gopay',
    method: 'GoPay (deeplink)',
    description: 'Customer authenticates within the GoPay/Gojek app',
    factors: ['PIN', 'device possession'],
  },
  {
    row: 'gopay-tokenization',
    method: 'GoPay tokenization',
    description: 'The GoPay app authenticates the customer at the first linking; later charges use the linked token',
    factors: ['PIN/biometrics', 'device possession'],
  },
  {
    row: 'shopeepay',
    method: 'ShopeePay',
    description: 'Customer authenticates within the ShopeePay/Shopee app',
    factors: ['PIN', 'device possession'],
  },
  { row: 'dana', method: 'DANA', description: 'Customer authenticates within the DANA app', factors: ['PIN', 'device possession'] },
  {
    row: 'qris',
    method: 'QRIS',
    description: 'Customer scans the QR and authenticates in their e-wallet app',
    factors: ['PIN/biometrics', 'device possession'],
  },
  {
    row: 'va',
    method: 'bank transfer / VA',
    description: 'Customer authenticates via their banking app or ATM',
    factors: ['PIN/OTP/biometrics', 'card/device possession'],
  },
  {
    row: 'card',
    method: 'credit/debit card',
    description: '3D Secure authentication via the card issuing bank',
    factors: ['OTP/biometrics', 'card knowledge'],
  },
];

export const AUTH_ROWS = AUTH_TABLE.map((r) => r.row);

/** The contract kit and `definePaymentMethod` refuse fewer. */
export const MIN_FACTORS = 2;
