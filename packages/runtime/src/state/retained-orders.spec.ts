// Retention's tables alone: which ended orders are due at which cutoffs, by partition; a waiting order
// is never tracked; an order without a status time keeps the clock it was first tracked with.
import { describe, expect, it } from 'vitest';
import type { OrderState } from './order-state.ts';
import { appliedStamp, RETAINED_TABLES, retainedOf } from './retained-orders.ts';
import { loadSqlite } from './store-files.ts';

const DAY = 86_400_000;
const state = (status: OrderState['status'], statusAt?: number, partition = 0): OrderState => ({
  v: 2,
  method: 'gopay',
  partition,
  ...(status ? { status } : {}),
  ...(statusAt === undefined ? {} : { statusAt: new Date(statusAt).toISOString() }),
  references: {},
  commands: {},
});

function tables() {
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(':memory:');
  db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID; ${RETAINED_TABLES}`);
  return { db, retained: retainedOf(db, () => undefined) };
}

describe('retained orders', () => {
  it('names the ended orders of one partition whose clock started before the cutoffs, a success by its own', () => {
    const { retained } = tables();
    const t0 = 1_000 * DAY;
    retained.track('o-failed', undefined, state('failed', t0), 0);
    retained.track('o-won', undefined, state('succeeded', t0), 0);
    retained.track('o-waiting', undefined, state('pending', t0 - 900 * DAY), 0);
    retained.track('o-other', undefined, state('canceled', t0, 1), 0);
    const at = (ended: number, settled: number) => retained.due('gopay', 0, { ended, settled }, 10);
    expect(at(t0 - 1, t0 - 1)).toEqual([]);
    expect(at(t0, t0 - 1)).toEqual(['o-failed']);
    expect(at(t0, t0).sort()).toEqual(['o-failed', 'o-won']);
    expect(retained.due('gopay', 1, { ended: t0, settled: t0 }, 10)).toEqual(['o-other']);
    expect(retained.isDue('o-waiting', { ended: Infinity, settled: Infinity })).toBe(false);
    // A success refunded later starts its clock again, as an ended order.
    retained.track('o-won', state('succeeded', t0), state('refunded', t0 + DAY), 0);
    expect(retained.isDue('o-won', { ended: t0, settled: Infinity })).toBe(false);
    expect(retained.isDue('o-won', { ended: t0 + DAY, settled: 0 })).toBe(true);
  });

  it('counts an order without a status time from when it was first applied', () => {
    const { retained } = tables();
    retained.track('o-v1', undefined, state('expired'), 5 * DAY);
    retained.track('o-v1', state('expired'), state('expired'), 9 * DAY);
    expect(retained.isDue('o-v1', { ended: 5 * DAY, settled: 0 })).toBe(true);
    // Read again from the topic (a rebuild), it keeps the clock it was first tracked with too.
    retained.track('o-v1', undefined, state('expired'), 9 * DAY);
    expect(retained.isDue('o-v1', { ended: 5 * DAY, settled: 0 })).toBe(true);
  });

  it('stages what it tracks while the index restores, and sorts it in at the end', () => {
    const { retained } = tables();
    retained.stage();
    retained.track('o-a', undefined, state('failed', 10), 0);
    retained.track('o-b', undefined, state('succeeded', 10), 0);
    retained.forget('o-b');
    expect(retained.due('gopay', 0, { ended: 10, settled: 10 }, 10)).toEqual([]);
    retained.unstage();
    expect(retained.due('gopay', 0, { ended: 10, settled: 10 }, 10)).toEqual(['o-a']);
  });

  it('remembers retired ids until pruned, and records when the index last applied something', () => {
    const { db, retained } = tables();
    retained.retire('o-1', 10);
    retained.retire('o-2', 20);
    expect(retained.retiredAt('o-1')).toBe(10);
    expect(retained.prune(15)).toBe(1);
    expect(retained.retiredAt('o-1')).toBeUndefined();
    expect(retained.retiredAt('o-2')).toBe(20);
    appliedStamp(db)(1_000);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'applied_at'").get()).toEqual({ value: '1000' });
  });
});
