import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTORE_COMMIT_ORDERS } from './index-tuning.ts';
import { OrderStore } from './order-store.ts';
import type { OrderState } from './order-state.ts';
import { loadSqlite } from './store-files.ts';

const identity = { topic: 'paystream.orders.state', clusterId: 'cluster-a' };
const state: OrderState = { v: 2, method: 'gopay', status: 'succeeded', references: {}, commands: {} };
const folders: string[] = [];

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What another connection finds committed in the index: what a crash right now would leave. */
function committed(dir: string): { orders: number; checkpoint: number | undefined } {
  const db = new (loadSqlite().DatabaseSync)(join(dir, 'orders.db'), { readOnly: true });
  try {
    const orders = (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
    const row = db.prepare('SELECT next FROM offsets WHERE partition = 0').get() as { next: number } | undefined;
    return { orders, checkpoint: row?.next };
  } finally {
    db.close();
  }
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-restore-test-'));
  folders.push(dir);
  return dir;
}

describe('the order-state index while it restores', () => {
  it('commits its orders with their checkpoint in large transactions, and everything once caught up', () => {
    const dir = folder();
    const store = OrderStore.open(dir, identity);
    const restored = store.restoring();
    let offset = 0;
    const batch = (orders: number): void => {
      for (let i = 0; i < orders; i++) store.put(`o-${String(offset++)}`, state, []);
      store.advance(0, offset);
    };

    batch(10);
    // Not committed yet: a crash now loses these orders and their checkpoint together.
    expect(committed(dir)).toEqual({ orders: 0, checkpoint: undefined });
    batch(RESTORE_COMMIT_ORDERS);
    expect(committed(dir)).toEqual({ orders: RESTORE_COMMIT_ORDERS + 10, checkpoint: RESTORE_COMMIT_ORDERS + 10 });
    batch(5);
    expect(committed(dir).checkpoint).toBe(RESTORE_COMMIT_ORDERS + 10);

    restored();
    expect(committed(dir)).toEqual({ orders: RESTORE_COMMIT_ORDERS + 15, checkpoint: RESTORE_COMMIT_ORDERS + 15 });
    expect(store.size).toBe(RESTORE_COMMIT_ORDERS + 15);
    store.close();

    const reopened = OrderStore.open(dir, identity);
    expect(reopened.rebuilt).toBeUndefined();
    expect(reopened.checkpoint(0)).toBe(RESTORE_COMMIT_ORDERS + 15);
    expect(reopened.get('o-0')).toEqual(state);
    reopened.close();
  });

  it('sorts the references it staged into the index once caught up, also after a stop during the restore', () => {
    const dir = folder();
    const first = OrderStore.open(dir, identity);
    first.restoring();
    first.put('o-1', state, ['ref-a', 'ref-b']);
    first.put('o-2', state, ['ref-c']);
    first.put('o-3', state, ['ref-a']);
    first.delete('o-2', ['ref-c']);
    first.advance(0, 4);
    expect(first.orderOf('ref-a')).toBeUndefined();
    first.close();

    const next = OrderStore.open(dir, identity);
    const restored = next.restoring();
    next.put('o-4', state, ['ref-d']);
    restored();
    expect(['ref-a', 'ref-b', 'ref-c', 'ref-d'].map((ref) => next.orderOf(ref))).toEqual(['o-3', 'o-1', undefined, 'o-4']);
    next.close();
  });

  it('commits at the end of each turn again once caught up', async () => {
    const dir = folder();
    const store = OrderStore.open(dir, identity);
    const restored = store.restoring();
    store.put('o-1', state, []);
    store.advance(0, 1);
    restored();
    store.put('o-2', state, []);
    store.advance(0, 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(committed(dir)).toEqual({ orders: 2, checkpoint: 2 });
    store.close();
  });
});
