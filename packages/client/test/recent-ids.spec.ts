import { describe, expect, it } from 'vitest';
import { RecentIds } from '../src/recent-ids.ts';

describe('RecentIds', () => {
  it('remembers the last N ids and forgets the oldest', () => {
    const ids = new RecentIds(2);
    ids.add('a');
    ids.add('b');
    expect([ids.has('a'), ids.has('b')]).toEqual([true, true]);
    ids.add('c');
    expect([ids.has('a'), ids.has('b'), ids.has('c')]).toEqual([false, true, true]);
  });

  it('refuses a window that holds nothing', () => {
    expect(() => new RecentIds(0)).toThrow(RangeError);
  });
});
