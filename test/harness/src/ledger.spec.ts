// The ledger check is the oracle of "never charged twice" for every whole-system test: it must count
// what the simulator recorded, match QRIS charges by their external id, and name every problem.
import type { LedgerEntry } from '@paystream/midtrans-sim';
import { deriveIds } from '@paystream/runtime';
import { describe, expect, it } from 'vitest';
import { checkLedger } from './ledger.ts';
import { chargeCommand } from './upstream.ts';

const entry = (event: LedgerEntry['event'], partnerReferenceNo: string, method = 'gopay'): LedgerEntry => ({
  at: new Date(0).toISOString(),
  event,
  referenceNo: `ref-${partnerReferenceNo}`,
  partnerReferenceNo,
  method,
  amount: '150000.00',
});

describe('checkLedger', () => {
  const gopay = chargeCommand({ method: 'gopay', orderId: 'o-gopay' });
  const qris = chargeCommand({ method: 'qris', orderId: 'o-qris' });

  it('reports no problem when every order is charged once, QRIS matched by its external id', () => {
    const report = checkLedger(
      [entry('charge', 'o-gopay'), entry('paid', 'o-gopay'), entry('charge', deriveIds(qris.commandId).externalId, 'qris')],
      [gopay, qris],
    );
    expect(report.problems).toEqual([]);
    expect(report.charges.get('o-gopay')).toBe(1);
    expect(report.charges.get('o-qris')).toBe(1);
    expect(report.paid.get('o-gopay')).toBe(1);
    expect(report.paid.get('o-qris')).toBeUndefined();
    expect(report.strangers).toBe(0);
  });

  it('names an order charged twice, one never charged, and charges of no command', () => {
    const report = checkLedger([entry('charge', 'o-gopay'), entry('charge', 'o-gopay'), entry('charge', 'someone-else')], [gopay, qris]);
    expect(report.problems).toEqual([
      'order o-gopay charged 2 times',
      'order o-qris charged 0 times',
      '1 charges belong to no command of the run',
    ]);
    expect(report.strangers).toBe(1);
  });

  it('counts a redelivered charge command of the same order once among the orders', () => {
    const again = { ...gopay, commandId: gopay.commandId };
    expect(checkLedger([entry('charge', 'o-gopay')], [gopay, again]).problems).toEqual([]);
  });
});
