import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { orderStatements, SCHEMA } from './order-rows.ts';
import type { OrderState } from './order-state.ts';
import { OrderStore } from './order-store.ts';

const state = (status: OrderState['status'], referenceNo?: string): OrderState => ({
  v: 2,
  method: 'gopay',
  chargeCommandId: 'c-1',
  amount: 150_000,
  ...(status ? { status } : {}),
  references: referenceNo ? { referenceNo } : {},
  commands: {},
});

describe('OrderStore', () => {
  it('keeps each order and finds it by its references, across more orders than it caches', () => {
    const store = OrderStore.open(':memory:');
    for (let i = 0; i < 3_000; i++) store.put(`o-${String(i)}`, state('action_required', `ref-${String(i)}`), [`ref-${String(i)}`]);
    expect(store.size).toBe(3_000);
    for (const i of [0, 1_500, 2_999]) {
      expect(store.get(`o-${String(i)}`)).toEqual(state('action_required', `ref-${String(i)}`));
      expect(store.orderOf(`ref-${String(i)}`)).toBe(`o-${String(i)}`);
    }
    expect(store.get('o-unknown')).toBeUndefined();
    store.put('o-7', state('succeeded', 'ref-7'), []);
    expect(store.get('o-7')?.status).toBe('succeeded');
    expect(store.size).toBe(3_000);
    store.delete('o-7', ['ref-7']);
    expect(store.get('o-7')).toBeUndefined();
    expect(store.orderOf('ref-7')).toBeUndefined();
    expect(store.size).toBe(2_999);
    store.close();
  });

  it('walks every order a page at a time, also while orders are written meanwhile', () => {
    const store = OrderStore.open(':memory:');
    for (let i = 0; i < 2_500; i++) store.put(`o-${String(i).padStart(5, '0')}`, state('pending'), []);
    const seen: string[] = [];
    for (const [id] of store.entries()) {
      seen.push(id);
      if (seen.length === 10) store.put('o-99999', state('pending'), []);
    }
    expect(seen).toHaveLength(2_501);
    expect(new Set(seen).size).toBe(2_501);
    store.close();
  });

  it('finds the orders still waiting for their outcome through their own index, never by reading every order', () => {
    const store = OrderStore.open(':memory:');
    const statuses = ['action_required', 'pending', 'pending_review', 'succeeded', 'failed', 'expired', undefined] as const;
    for (let i = 0; i < 2_100; i++) store.put(`o-${String(i).padStart(5, '0')}`, state(statuses[i % statuses.length]), []);
    const waiting = (): string[] => [...store.waiting()].map(([id]) => id);
    expect(waiting()).toHaveLength(900);
    expect([...store.waiting()].every(([, s]) => ['action_required', 'pending', 'pending_review'].includes(s.status ?? ''))).toBe(true);
    store.put('o-00000', state('succeeded'), []);
    store.put('o-00003', state('pending'), []);
    store.delete('o-00001', []);
    expect(waiting()).toHaveLength(899);
    expect(waiting()).toContain('o-00003');
    expect(waiting()).not.toContain('o-00000');

    const db = new DatabaseSync(':memory:');
    db.exec(SCHEMA);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${orderStatements(db).waitingPage.sourceSQL}`).all('', 10) as { detail: string }[];
    expect(plan.map((p) => p.detail)).toEqual([expect.stringMatching(/^SEARCH orders USING INDEX orders_waiting \(id>\?\)$/)]);
    db.close();
    store.close();
  });

  it('schedules by command partition: only the due orders of the partition asked about, earliest first', () => {
    const store = OrderStore.open(':memory:');
    const s = store.schedule;
    s.set('a', { method: 'gopay', partition: 0, due: 300, attempt: 0 });
    s.set('b', { method: 'gopay', partition: 0, due: 100, attempt: 2 });
    s.set('c', { method: 'gopay', partition: 1, due: 50, attempt: 0 });
    s.set('d', { method: 'qris', partition: 0, due: 50, attempt: 0 });
    s.set('e', { method: 'gopay', partition: 0, due: 5_000, attempt: 0 });
    expect(s.due('gopay', 0, 1_000, 10)).toEqual([
      { orderId: 'b', attempt: 2 },
      { orderId: 'a', attempt: 0 },
    ]);
    expect(s.due('gopay', 0, 1_000, 1)).toEqual([{ orderId: 'b', attempt: 2 }]);
    s.set('b', { method: 'gopay', partition: 0, due: 9_000, attempt: 3 });
    expect(s.attempt('b')).toBe(3);
    s.delete('a');
    expect(s.due('gopay', 0, 1_000, 10)).toEqual([]);
    expect(s.size).toBe(4);
    store.close();
  });

  it('removes the temporary folders of workers that were killed, and keeps those of live ones', () => {
    const dead = mkdtempSync(join(tmpdir(), 'paystream-orders-2147483646-'));
    const live = mkdtempSync(join(tmpdir(), `paystream-orders-${String(process.ppid)}-`));
    const store = OrderStore.open();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    store.close();
    rmSync(live, { recursive: true, force: true });
  });

  it('lives in a folder of its own that closing removes, and keeps the index of a folder it is given', () => {
    const store = OrderStore.open();
    store.put('o-1', state('pending'), []);
    expect(existsSync(store.file)).toBe(true);
    store.close();
    expect(existsSync(dirname(store.file))).toBe(false);
    const given = join(mkdtempSync(join(tmpdir(), 'paystream-test-')), 'state');
    const first = OrderStore.open(given);
    first.put('o-1', state('pending'), []);
    first.close();
    expect(existsSync(join(given, 'orders.db'))).toBe(true);
    const second = OrderStore.open(given);
    expect(second.rebuilt).toBeUndefined();
    expect(second.get('o-1')).toEqual(state('pending'));
    expect(second.size).toBe(1);
    second.close();
    rmSync(dirname(given), { recursive: true, force: true });
  });
});
