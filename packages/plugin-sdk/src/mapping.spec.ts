import { describe, expect, it } from 'vitest';
import { coreStatus, moneyOf, rupiahOf, snapAmount, snapStatus } from './mapping.ts';

describe('amounts', () => {
  it('formats whole rupiah with two decimals and reads them back', () => {
    expect(snapAmount(150000)).toEqual({ value: '150000.00', currency: 'IDR' });
    expect(rupiahOf('150000.00')).toBe(150000);
    expect(rupiahOf('150000')).toBeUndefined();
    expect(() => snapAmount(0)).toThrow();
    expect(() => snapAmount(1.5)).toThrow();
  });

  it('reads a money object into the amount and currency the runtime cross-checks, leaving out what it cannot read', () => {
    expect(moneyOf({ value: '150000.00', currency: 'IDR' })).toEqual({ amount: 150000, currency: 'IDR' });
    expect(moneyOf({ value: '150000.00', currency: 'USD' })).toEqual({ amount: 150000, currency: 'USD' });
    expect(moneyOf({ value: 150000 })).toEqual({});
    expect(moneyOf(undefined)).toEqual({});
    expect(moneyOf('150000.00')).toEqual({});
  });
});

describe('status tables', () => {
  it('maps every BI-SNAP status code, and anything else to pending', () => {
    const table = Object.fromEntries(
      ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', undefined].map((c) => [String(c), snapStatus(c)]),
    );
    expect(table).toEqual({
      '00': 'succeeded',
      '01': 'pending',
      '02': 'pending',
      '03': 'pending',
      '04': 'refunded',
      '05': 'canceled',
      '06': 'failed',
      '07': 'pending',
      '08': 'expired',
      '09': 'failed',
      '10': 'pending',
      undefined: 'pending',
    });
  });

  it('maps Core API transaction and fraud statuses; only settlement or an accepted capture is success', () => {
    expect(coreStatus('settlement', undefined)).toBe('succeeded');
    expect(coreStatus('capture', 'accept')).toBe('succeeded');
    expect(coreStatus('capture', 'challenge')).toBe('pending_review');
    expect(coreStatus('capture', 'deny')).toBe('failed');
    expect(coreStatus('deny', 'deny')).toBe('failed');
    expect(coreStatus('expire', undefined)).toBe('expired');
    expect(coreStatus('cancel', undefined)).toBe('canceled');
    expect(coreStatus('refund', undefined)).toBe('refunded');
    expect(coreStatus('authorize', undefined)).toBe('pending');
    expect(coreStatus('something-new', undefined)).toBe('pending');
  });
});
