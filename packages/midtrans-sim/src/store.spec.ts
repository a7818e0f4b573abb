// The simulator keeps bounded memory over a million-command run: the ledger and the capped maps keep
// their latest entries and drop the oldest a tenth at a time, never one by one.
import { describe, expect, it } from 'vitest';
import { CappedMap, LIMITS, Store, type Tx } from './store.ts';

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

describe('a capped map', () => {
  it('stays within its cap and a tenth, forgets the oldest first, and never evicts for an update', () => {
    const map = new CappedMap<number, number>(1_000);
    for (let i = 0; i < 1_100; i++) map.set(i, i);
    expect(map.size).toBe(1_100);
    map.set(0, -1);
    expect(map.size).toBe(1_100);
    expect(map.get(0)).toBe(-1);
    map.set(1_100, 1_100);
    expect(map.size).toBe(1_000);
    expect(map.has(0)).toBe(false);
    expect(map.has(100)).toBe(false);
    expect(map.has(101)).toBe(true);
    for (let i = 1_101; i < 25_000; i++) {
      map.set(i, i);
      expect(map.size).toBeLessThanOrEqual(1_100);
    }
    expect(map.size).toBeGreaterThanOrEqual(1_000);
    const keys = [...map.keys()];
    expect(keys.at(-1)).toBe(24_999);
    expect(keys.every((k, i) => k === (keys[0] ?? 0) + i)).toBe(true);
  });
});
