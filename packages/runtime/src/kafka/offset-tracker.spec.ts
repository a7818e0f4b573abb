import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OffsetTracker } from './offset-tracker.ts';

describe('OffsetTracker', () => {
  it('commits only up to the lowest unfinished offset', () => {
    const t = new OffsetTracker();
    const tracks = [10, 11, 12, 13].map((o) => t.start('c', 0, o));
    expect(t.finish('c', 0, tracks[1]!, 11)).toBeUndefined();
    expect(t.finish('c', 0, tracks[3]!, 13)).toBeUndefined();
    expect(t.lowestUnfinished('c', 0)).toBe(10);
    expect(t.finish('c', 0, tracks[0]!, 10)).toBe(12);
    expect(t.finish('c', 0, tracks[2]!, 12)).toBe(14);
    expect(t.inFlight()).toBe(0);
  });

  it('never lets work finished on a forgotten (revoked) partition move the new owner’s commit point', () => {
    const t = new OffsetTracker();
    const old = t.start('c', 1, 5);
    t.forget('c', 1);
    const fresh = t.start('c', 1, 7);
    expect(t.finish('c', 1, old, 5)).toBeUndefined();
    expect(t.finish('c', 1, fresh, 7)).toBe(8);
  });

  it('for any completion order, the commit point is never past an unfinished offset', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 60 })
          .chain((n) => fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }))),
        ([n, order]) => {
          const t = new OffsetTracker();
          const tracks = Array.from({ length: n }, (_, o) => t.start('c', 0, o));
          const done = new Set<number>();
          for (const o of order) {
            done.add(o);
            t.finish('c', 0, tracks[o]!, o);
            const point = t.committable('c', 0) ?? 0;
            for (let k = 0; k < point; k++) expect(done.has(k)).toBe(true);
            expect(done.has(point)).toBe(false);
          }
          expect(t.committable('c', 0)).toBe(n);
        },
      ),
    );
  });
});
