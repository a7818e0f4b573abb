// Cstore in the whole-system suite (test/e2e/plugins/plugins.spec.ts finds this file by its path):
// the details of a charge the customer can complete, how they complete the `payment_code` action in
// the Midtrans simulator, and how the method fails for business reasons (README checklist: whole-system test).
import { actionField, byReference } from '@paystream/e2e-tests/plugins/fixture-kit.ts';
import type { Fixture } from '@paystream/e2e-tests/plugins/fixture-types.ts';
import { expect } from 'vitest';

export const fixture: Fixture = {
  method: 'cstore',
  action: 'payment_code',
  details: () => Promise.resolve({ store: 'indomaret' }),
  transaction: byReference,
  complete: async ({ h }, charge) => {
    // The cashier enters the code the customer shows at the counter.
    expect((await h.admin('/pay', { paymentCode: actionField(charge, 'paymentCode') })).body).toMatchObject({ status: '00' });
  },
  failures: [],
  refunds: false,
  fraudReview: false,
};
