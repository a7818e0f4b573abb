import { emptyOrderState, type OrderState } from '@paystream/runtime';
import { describe, expect, it } from 'vitest';
import { DirectoryIndex, MAX_FOUND } from './directory-index.ts';

const COMMAND = '0f8fad5b-d9cb-469f-a165-707711112222';

const state = (fields: Partial<OrderState> = {}): OrderState => ({
  ...emptyOrderState(),
  method: 'gopay',
  status: 'pending',
  amount: 10_000,
  currency: 'IDR',
  ...fields,
});

describe('the order directory index', () => {
  it('finds an order by its order id, command id (however written) and any Midtrans reference', () => {
    const index = new DirectoryIndex();
    index.apply(
      'order-1',
      state({
        chargeCommandId: COMMAND,
        commands: { [COMMAND.replace(/-/g, '')]: 'fp' },
        references: { referenceNo: 'R-1', partnerReferenceNo: 'P-1', vaNumber: '8808123456', transactionId: 'T-1' },
      }),
      Date.parse('2026-01-01T00:00:00Z'),
    );
    for (const q of ['order-1', COMMAND, COMMAND.toUpperCase(), COMMAND.replace(/-/g, ''), 'R-1', 'P-1', '8808123456', 'T-1'])
      expect(
        index.find(q).map((o) => o.orderId),
        q,
      ).toEqual(['order-1']);
    expect(index.find('order-')).toEqual([]);
    expect(index.find('order-1')[0]).toEqual({
      orderId: 'order-1',
      method: 'gopay',
      status: 'pending',
      amount: { value: 10_000, currency: 'IDR' },
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('forgets an order at its tombstone, and a reference it no longer holds', () => {
    const index = new DirectoryIndex();
    index.apply('order-1', state({ references: { referenceNo: 'R-1' } }), 1);
    index.apply('order-1', state({ references: { referenceNo: 'R-2' } }), 2);
    expect(index.find('R-1')).toEqual([]);
    expect(index.find('R-2')).toHaveLength(1);
    index.apply('order-1', null, 3);
    expect([index.find('order-1'), index.find('R-2'), index.size]).toEqual([[], [], 0]);
  });

  it('holds at most its capacity, dropping the least recently changed', () => {
    const index = new DirectoryIndex(3);
    for (const id of ['a', 'b', 'c']) index.apply(id, state(), 1);
    index.apply('a', state({ status: 'succeeded' }), 2);
    index.apply('d', state(), 3);
    expect([index.size, index.dropped, index.get('b'), index.get('a')?.status]).toEqual([3, 1, undefined, 'succeeded']);
  });

  it('answers at most MAX_FOUND orders, most recently changed first', () => {
    const index = new DirectoryIndex();
    for (let i = 0; i < MAX_FOUND + 5; i++) index.apply(`o-${String(i)}`, state({ references: { merchantRef: 'shared' } }), i);
    const found = index.find('shared');
    expect(found).toHaveLength(MAX_FOUND);
    expect(found[0]?.orderId).toBe(`o-${String(MAX_FOUND + 4)}`);
  });
});
