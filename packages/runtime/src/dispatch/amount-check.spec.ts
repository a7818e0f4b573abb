import { describe, expect, it } from 'vitest';
import { amountMismatch } from './amount-check.ts';

const charged = { value: 150_000, currency: 'IDR' } as const;

describe('amountMismatch', () => {
  it('accepts the charged amount and currency, and a pending answer that names neither', () => {
    expect(amountMismatch({ status: 'succeeded', references: {}, amount: 150_000, currency: 'IDR' }, charged)).toBeUndefined();
    expect(amountMismatch({ status: 'succeeded', references: {}, amount: 150_000 }, charged)).toBeUndefined();
    expect(amountMismatch({ status: 'pending', references: {} }, charged)).toBeUndefined();
  });

  it('refuses another amount, another currency, and a success without an amount', () => {
    expect(amountMismatch({ status: 'succeeded', references: {}, amount: 1_000, currency: 'IDR' }, charged)).toBe(
      'amount mismatch: 1000 ≠ 150000',
    );
    expect(amountMismatch({ status: 'succeeded', references: {}, amount: 150_000, currency: 'USD' }, charged)).toBe(
      'currency mismatch: USD ≠ IDR',
    );
    expect(amountMismatch({ status: 'pending', references: {}, amount: 150_000.5 }, charged)).toMatch(/^amount mismatch/);
    expect(amountMismatch({ status: 'succeeded', references: {} }, charged)).toMatch(/^amount unverifiable/);
  });
});
