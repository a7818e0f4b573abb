// What differs between payment methods in the end-to-end suite, as data: the command details, what
// the customer is asked to do and how they do it, how the method fails for business reasons, and
// whether it refunds. The methods written before plugins shipped their own fixture are here; a plugin
// may instead ship one in its folder (plugins/<name>/test/whole-system.ts, exporting `fixture`), which
// is found there, so a new plugin needs no line in this file.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PaymentEvent } from '@paystream/contracts';
import { expect } from 'vitest';
import type { ThreeDsBrowser } from './customer.ts';
import { actionField, byReference, walletPage } from './fixture-kit.ts';
import type { Fixture, FixtureWorld } from './fixture-types.ts';
import type { Harness } from './harness.ts';

export type { Failure, Fixture } from './fixture-types.ts';

/** The suite's world: a fixture sees the part of it that FixtureWorld names. */
export interface World extends FixtureWorld {
  readonly h: Harness;
  readonly threeDs: ThreeDsBrowser;
}

/** Over every BI-SNAP method's limit in the simulator (see the suite), under Midtrans' own maximum. */
export const AMOUNT_LIMIT = 5_000_000;
const OVER_LIMIT = 7_500_000;

function wallet(method: 'gopay' | 'shopeepay' | 'dana'): Fixture {
  return {
    method,
    action: 'deeplink',
    details: () => Promise.resolve({ returnUrl: 'https://shop.example/back' }),
    transaction: byReference,
    complete: async ({ h }, charge) => {
      const { amount, result } = await walletPage(h.http, actionField(charge, 'url'), 'authorise');
      expect(amount).toBe(`${String(charge.data.amount.value)}.00`);
      expect(result).toBe('Payment successful');
    },
    validity: { details: { validForMinutes: 5 }, minutes: 5 },
    failures: [
      {
        name: 'the customer declines in the app',
        customer: async ({ h }, charge) =>
          expect((await walletPage(h.http, actionField(charge, 'url'), 'decline')).result).toBe('Payment declined'),
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
    expect(actionField(charge, 'qrPngDataUrl')).toMatch(/^data:image\/png;base64,/);
    expect((await h.admin('/pay', { qrContent: actionField(charge, 'qrString') })).body).toMatchObject({ status: '00' });
  },
  validity: { details: { validForMinutes: 5 }, minutes: 5 },
  failures: [
    {
      name: 'the customer declines in the app after scanning',
      customer: async ({ h }, charge) =>
        expect((await h.admin('/decline', { qrContent: actionField(charge, 'qrString') })).body).toMatchObject({ status: '06' }),
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
    expect(actionField(charge, 'bank')).toBe('bca');
    expect((await h.admin('/pay', { vaNumber: actionField(charge, 'vaNumber') })).body).toMatchObject({ status: '00' });
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
export async function threeDs({ threeDs: browser }: FixtureWorld, charge: PaymentEvent, otp: string, expected: string): Promise<void> {
  expect(await browser.complete(actionField(charge, 'url'), otp)).toBe(expected);
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

const builtIn: Readonly<Record<string, Fixture>> = {
  'card-3ds': card,
  dana: wallet('dana'),
  gopay: wallet('gopay'),
  qris,
  shopeepay: wallet('shopeepay'),
  va,
};

const PLUGINS = join(import.meta.dirname, '../../../plugins');

/** The fixtures plugins ship in their own folder, by method: `plugins/<name>/test/whole-system.ts` exporting `fixture`. */
async function shipped(): Promise<Record<string, Fixture>> {
  const found: Record<string, Fixture> = {};
  for (const name of readdirSync(PLUGINS).toSorted()) {
    const file = join(PLUGINS, name, 'test/whole-system.ts');
    if (!existsSync(file)) continue;
    const { fixture } = (await import(pathToFileURL(file).href)) as { fixture?: Fixture };
    if (fixture?.method !== name)
      throw new Error(`plugins/${name}/test/whole-system.ts must export \`fixture\`, a Fixture whose method is "${name}"`);
    if (Object.hasOwn(builtIn, name))
      throw new Error(
        `${name} has a fixture both in test/e2e/plugins/fixtures.ts and in plugins/${name}/test/whole-system.ts: keep the plugin's`,
      );
    found[name] = fixture;
  }
  return found;
}

/** Every method's fixture: the built-in ones and those the plugins ship. */
export const fixtures: Readonly<Partial<Record<string, Fixture>>> = { ...builtIn, ...(await shipped()) };

/** The simulator's limits that make the over-limit failures above happen. */
export const amountLimits: Readonly<Record<string, number>> = {
  gopay: AMOUNT_LIMIT,
  shopeepay: AMOUNT_LIMIT,
  dana: AMOUNT_LIMIT,
  qris: AMOUNT_LIMIT,
  'va-bca': AMOUNT_LIMIT,
};
