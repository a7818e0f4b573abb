// Pay-later in the whole-system suite (test/e2e/plugins/plugins.spec.ts finds this file by its path):
// the details of a charge the customer can complete, how they complete the `redirect` action in
// the Midtrans simulator, and how the method fails for business reasons (README checklist: whole-system test).
import { actionField, byReference, walletPage } from '@paystream/e2e-tests/plugins/fixture-kit.ts';
import type { Fixture } from '@paystream/e2e-tests/plugins/fixture-types.ts';
import { expect } from 'vitest';

export const fixture: Fixture = {
  method: 'pay-later',
  action: 'redirect',
  details: () => Promise.resolve({ provider: 'kredivo' }),
  transaction: byReference,
  complete: async ({ h }, charge) => {
    const { amount, result } = await walletPage(h.http, actionField(charge, 'url'), 'authorise');
    expect(amount).toBe(`${String(charge.data.amount.value)}.00`);
    expect(result).toBe('Payment successful');
  },
  failures: [
    {
      name: 'the customer declines the credit at Akulaku',
      details: () => Promise.resolve({ provider: 'akulaku' }),
      customer: async ({ h }, charge) =>
        expect((await walletPage(h.http, actionField(charge, 'url'), 'decline')).result).toBe('Payment declined'),
      ledger: ['charge', 'failed'],
    },
  ],
  refunds: true,
  fraudReview: false,
};
