// What differs between payment methods in the end-to-end suite, as data: the command details, what
// the customer is asked to do and how they do it, how the method fails for business reasons, and
// whether it refunds. A new plugin in the worker's list needs one entry here.
import type { PaymentEvent } from '@paystream/contracts';
import type { LedgerEntry, Simulator, Tx } from '@paystream/midtrans-sim';
import { expect } from 'vitest';
import { walletPage, type ThreeDsBrowser } from './customer.ts';
import type { Harness } from './harness.ts';

export interface World {
  readonly h: Harness;
  readonly threeDs: ThreeDsBrowser;
}

type Action = NonNullable<PaymentEvent['data']['action']>;
type Ledger = readonly LedgerEntry['event'][];

export interface Failure {
  readonly name: string;
  readonly amount?: number;
  /** Command details of the failing charge; the fixture's own when absent. */
  readonly details?: (w: World) => Promise<Record<string, unknown>>;
  /** What the customer does once asked to act; when absent, Midtrans refuses the charge itself. */
  readonly customer?: (w: World, action: PaymentEvent) => Promise<void>;
  /** The BI-SNAP responseCode of a refused charge. */
  readonly responseCode?: string;
  /** The simulator ledger of the order afterwards. */
  readonly ledger: Ledger;
}

export interface Fixture {
  readonly method: string;
  readonly action: Action['kind'];
  /** Details of a charge the customer can complete. */
  readonly details: (w: World) => Promise<Record<string, unknown>>;
  /** The simulator's transaction for an order, from the references its charge published. */
  readonly transaction: (sim: Simulator, charge: PaymentEvent) => Tx | undefined;
  /** The customer does what the action asks and the payment goes through. */
  readonly complete: (w: World, charge: PaymentEvent) => Promise<void>;
  /** Details that give the customer less time, and how many minutes, where the command decides expiry. */
  readonly validity?: { readonly details: Record<string, unknown>; readonly minutes: number };
  readonly failures: readonly Failure[];
  readonly refunds: boolean;
  /** Cards only: the fraud system may hold a payment for review. */
  readonly fraudReview: boolean;
}

/** Over every BI-SNAP method's limit in the simulator (see the suite), under Midtrans' own maximum. */
export const AMOUNT_LIMIT = 5_000_000;
const OVER_LIMIT = 7_500_000;

const actionOf = (charge: PaymentEvent): Action => {
  const action = charge.data.action;
  if (!action) throw new Error(`the ${charge.data.method} charge asked the customer for nothing`);
  return action;
};
const byReference = (sim: Simulator, charge: PaymentEvent): Tx | undefined =>
  sim.store.transactions.get(charge.data.midtrans['referenceNo'] ?? charge.data.midtrans['transactionId'] ?? '');

function wallet(method: 'gopay' | 'shopeepay' | 'dana'): Fixture {
  return {
    method,
    action: 'deeplink',
    details: () => Promise.resolve({ returnUrl: 'https://shop.example/back' }),
    transaction: byReference,
    complete: async ({ h }, charge) => {
      const { amount, result } = await walletPage(h.http, actionOf(charge).url ?? '', 'authorise');
      expect(amount).toBe(`${String(charge.data.amount.value)}.00`);
      expect(result).toBe('Payment successful');
    },
    validity: { details: { validForMinutes: 5 }, minutes: 5 },
    failures: [
      {
        name: 'the customer declines in the app',
        customer: async ({ h }, charge) =>
          expect((await walletPage(h.http, actionOf(charge).url ?? '', 'decline')).result).toBe('Payment declined'),
        ledger: ['charge', 'failed'],
      },
      { name: 'the amount is over the e-wallet limit', amount: OVER_LIMIT, responseCode: '4035402', ledger: [] },
    ],
    refunds: true,
    fraudReview: false,
  };
}

const qris: Fixture = {
  method: 'qris',
  action: 'qr',
  details: () => Promise.resolve({}),
  transaction: byReference,
  // The customer's QRIS app scans the code and pays what it encodes.
  complete: async ({ h }, charge) => {
    expect(actionOf(charge).qrPngDataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await h.admin('/pay', { qrContent: actionOf(charge).qrString ?? '' })).body).toMatchObject({ status: '00' });
  },
  validity: { details: { validForMinutes: 5 }, minutes: 5 },
  failures: [
    {
      name: 'the customer declines in the app after scanning',
      customer: async ({ h }, charge) =>
        expect((await h.admin('/decline', { qrContent: actionOf(charge).qrString ?? '' })).body).toMatchObject({ status: '06' }),
      ledger: ['charge', 'failed'],
    },
    { name: 'the amount is over the QRIS limit', amount: OVER_LIMIT, responseCode: '4034702', ledger: [] },
  ],
  refunds: true,
  fraudReview: false,
};

const va: Fixture = {
  method: 'va',
  action: 'virtual_account',
  details: () => Promise.resolve({ bank: 'bca' }),
  transaction: (sim, charge) => sim.store.find('va', { partnerReferenceNo: charge.data.midtrans['trxId'] }),
  // The payer transfers to the account number from their banking app.
  complete: async ({ h }, charge) => {
    expect(actionOf(charge).bank).toBe('bca');
    expect((await h.admin('/pay', { vaNumber: actionOf(charge).vaNumber ?? '' })).body).toMatchObject({ status: '00' });
  },
  validity: { details: { bank: 'bca', validForMinutes: 90 }, minutes: 90 },
  failures: [{ name: 'the amount is over the virtual-account limit', amount: OVER_LIMIT, responseCode: '4032702', ledger: [] }],
  refunds: false,
  fraudReview: false,
};

/** Midtrans' sandbox cards (`TEST_CARDS` in the simulator). */
export const CARDS = {
  accept: '4811111111111114',
  bankDeny: '4911111111111113',
  fdsChallenge: '4611111111111116',
  fdsDeny: '4711111111111115',
} as const;
export const OTP = '112233';

/** The customer goes through the issuer's 3DS page in the browser. */
export async function threeDs({ threeDs: browser }: World, charge: PaymentEvent, otp: string, expected: string): Promise<void> {
  expect(await browser.complete(actionOf(charge).url ?? '', otp)).toBe(expected);
}

const card: Fixture = {
  method: 'card-3ds',
  action: 'three_ds',
  details: async ({ h }) => ({ tokenId: await h.customers.cardToken(CARDS.accept) }),
  transaction: byReference,
  complete: (w, charge) => threeDs(w, charge, OTP, 'Payment successful'),
  failures: [
    {
      name: 'the issuing bank denies the card',
      details: async ({ h }) => ({ tokenId: await h.customers.cardToken(CARDS.bankDeny) }),
      customer: (w, c) => threeDs(w, c, OTP, 'Payment denied'),
      ledger: ['charge', 'failed'],
    },
    {
      name: 'the fraud system denies the card',
      details: async ({ h }) => ({ tokenId: await h.customers.cardToken(CARDS.fdsDeny) }),
      customer: (w, c) => threeDs(w, c, OTP, 'Payment denied'),
      ledger: ['charge', 'failed'],
    },
    { name: 'the customer types a wrong OTP', customer: (w, c) => threeDs(w, c, '000000', 'Payment denied'), ledger: ['charge', 'failed'] },
  ],
  refunds: true,
  fraudReview: true,
};

export const fixtures: Readonly<Partial<Record<string, Fixture>>> = {
  'card-3ds': card,
  dana: wallet('dana'),
  gopay: wallet('gopay'),
  qris,
  shopeepay: wallet('shopeepay'),
  va,
};

/** The simulator's limits that make the over-limit failures above happen. */
export const amountLimits: Readonly<Record<string, number>> = {
  gopay: AMOUNT_LIMIT,
  shopeepay: AMOUNT_LIMIT,
  dana: AMOUNT_LIMIT,
  qris: AMOUNT_LIMIT,
  'va-bca': AMOUNT_LIMIT,
};
