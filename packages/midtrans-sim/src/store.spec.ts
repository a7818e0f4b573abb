// The simulator keeps bounded memory over a million-command run: the ledger keeps its latest entries
// and drops the oldest a tenth at a time, never one by one.
import { describe, expect, it } from 'vitest';
import { LIMITS, Store, type Tx } from './store.ts';

describe('the ledger', () => {
  it('stays within its limit and a tenth, keeping the newest entries in order', () => {
    const store = new Store();
    const tx = { referenceNo: 'r', partnerReferenceNo: 'p', method: 'gopay', amount: '1.00' } as Tx;
    const total = LIMITS.ledger + LIMITS.ledger / 10 + 5;
    for (let i = 0; i < total; i++) store.record('charge', { ...tx, partnerReferenceNo: String(i) });
    expect(store.ledger.length).toBeLessThanOrEqual(LIMITS.ledger + LIMITS.ledger / 10);
    expect(store.ledger.length).toBeGreaterThanOrEqual(LIMITS.ledger);
    expect(store.ledger.at(-1)?.partnerReferenceNo).toBe(String(total - 1));
    const first = Number(store.ledger[0]?.partnerReferenceNo);
    expect(store.ledger.every((e, i) => Number(e.partnerReferenceNo) === first + i)).toBe(true);
  });
});
