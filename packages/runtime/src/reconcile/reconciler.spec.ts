import { codes, MidtransError } from '@paystream/core';
import type { PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { emptyOrderState, isWaiting, type OrderState } from '../state/order-state.ts';
import { mergeState } from '../state/state-merge.ts';
import { OrderStore } from '../state/order-store.ts';
import { EXPIRY_GRACE_MS, Reconciler } from './reconciler.ts';

const plugin = { method: 'gopay', details: z.strictObject({}) } as unknown as PaymentMethodPlugin;

/** The order state as the reconciler sees it, with publishing applied to it like the real store. */
function world(initial: Record<string, OrderState>, answers: (orderId: string) => PaymentUpdate | Error) {
  const known = new Map(Object.entries(initial));
  const listeners = new Set<(id: string, s: OrderState) => void>();
  const published: { orderId: string; status: string; verification: string }[] = [];
  const asked: string[] = [];
  const orders = {
    get: (id: string) => known.get(id) ?? emptyOrderState(),
    waiting: () => [...known].filter(([, s]) => isWaiting(s)).values(),
    onChange: (l: (id: string, s: OrderState) => void) => (listeners.add(l), () => listeners.delete(l)),
    schedule: OrderStore.open(':memory:').schedule,
  };
  const updates = {
    inquire: (_p: PaymentMethodPlugin, c: { orderId: string }) => {
      asked.push(c.orderId);
      const a = answers(c.orderId);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
    publish: (c: { orderId: string }, _p: PaymentMethodPlugin, u: PaymentUpdate, o: { verification: string }) => {
      published.push({ orderId: c.orderId, status: u.status, verification: o.verification });
      const merged = mergeState(known.get(c.orderId), { references: u.references, status: u.status });
      known.set(c.orderId, merged);
      listeners.forEach((l) => l(c.orderId, merged));
      return Promise.resolve(true);
    },
  };
  return { orders, updates, published, asked };
}

const mine = [{ method: 'gopay', partition: 0 }];

const waiting = (status: OrderState['status'] = 'action_required', partition = 0): OrderState =>
  mergeState(undefined, { method: 'gopay', chargeCommandId: '6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3e', amount: 150_000, status, partition });

describe('Reconciler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('publishes the outcome an inquiry finds for an order whose notification never came, once', async () => {
    const w = world({ 'o-1': waiting() }, () => ({ status: 'succeeded', references: {}, amount: 150000 }));
    const r = new Reconciler({
      orders: w.orders,
      plugins: new Map([['gopay', plugin]]),
      updates: w.updates,
      owned: () => mine,
      firstMs: 1_000,
      maxMs: 8_000,
    });
    r.start();
    await vi.advanceTimersByTimeAsync(60_000);
    r.stop();
    expect(w.published).toEqual([{ orderId: 'o-1', status: 'succeeded', verification: 'inquiry' }]);
    expect(w.asked).toEqual(['o-1']);
    expect(r.waiting).toBe(0);
  });

  it('asks again with growing delays while the order stays pending, capped', async () => {
    const w = world({ 'o-2': waiting('pending') }, () => ({ status: 'pending', references: {} }));
    const r = new Reconciler({
      orders: w.orders,
      plugins: new Map([['gopay', plugin]]),
      updates: w.updates,
      owned: () => mine,
      firstMs: 1_000,
      maxMs: 4_000,
    });
    r.start();
    await vi.advanceTimersByTimeAsync(40_000);
    r.stop();
    expect(w.published).toEqual([]);
    // first within 1 s, then ≈2, 4, 4, 4 … s: about ten in 40 s, never one per tick
    expect(w.asked.length).toBeGreaterThanOrEqual(7);
    expect(w.asked.length).toBeLessThanOrEqual(13);
  });

  it('leaves orders it does not own to their owner, and asks once it owns them', async () => {
    let owner = false;
    const w = world({ 'o-3': waiting() }, () => ({ status: 'expired', references: {} }));
    const r = new Reconciler({
      orders: w.orders,
      plugins: new Map([['gopay', plugin]]),
      updates: w.updates,
      owned: () => (owner ? mine : []),
      firstMs: 1_000,
      maxMs: 2_000,
    });
    r.start();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(w.asked).toEqual([]);
    owner = true;
    r.rescan();
    await vi.advanceTimersByTimeAsync(2_000);
    r.stop();
    expect(w.published.map((p) => p.status)).toEqual(['expired']);
  });

  it('keeps asking through a Midtrans outage, and never publishes an amount that differs from the charge', async () => {
    let calls = 0;
    const w = world({ 'o-4': waiting(), 'o-5': waiting() }, (id) => {
      calls++;
      if (calls <= 4) return new MidtransError('circuit-open', codes.PS_ERR_MIDTRANS_CIRCUIT_OPEN, {});
      return id === 'o-4' ? { status: 'succeeded', references: {}, amount: 150000 } : { status: 'succeeded', references: {}, amount: 1 };
    });
    const r = new Reconciler({
      orders: w.orders,
      plugins: new Map([['gopay', plugin]]),
      updates: w.updates,
      owned: () => mine,
      firstMs: 500,
      maxMs: 2_000,
    });
    r.start();
    await vi.advanceTimersByTimeAsync(30_000);
    r.stop();
    expect(w.published).toEqual([{ orderId: 'o-4', status: 'succeeded', verification: 'inquiry' }]);
  });

  it('ignores orders that reached their outcome or name no charge', async () => {
    const w = world({ done: { ...waiting(), status: 'succeeded' }, bare: mergeState(undefined, { status: 'action_required' }) }, () => ({
      status: 'failed',
      references: {},
    }));
    const r = new Reconciler({
      orders: w.orders,
      plugins: new Map([['gopay', plugin]]),
      updates: w.updates,
      owned: () => mine,
      firstMs: 100,
    });
    r.start();
    await vi.advanceTimersByTimeAsync(5_000);
    r.stop();
    expect(w.asked).toEqual([]);
  });

  it("asks about an order once its method's pending timeout has passed, whatever its backoff, and says it is overdue", async () => {
    const timed = { ...plugin, pendingTimeoutMs: 600_000 } as PaymentMethodPlugin;
    const since = new Date(Date.now()).toISOString();
    const w = world({ 'o-5': { ...waiting('pending'), statusAt: since } }, () => ({ status: 'pending', references: {} }));
    const events: string[] = [];
    const r = new Reconciler({
      orders: w.orders,
      plugins: new Map([['gopay', timed]]),
      updates: w.updates,
      owned: () => mine,
      firstMs: 1_000,
      maxMs: 3_600_000,
      onEvent: (e) => events.push(e.outcome),
    });
    r.start();
    // The backoff alone (1, 2, 4 … 512 s) would next ask at about 17 minutes; the timeout plus the grace is 11.
    await vi.advanceTimersByTimeAsync(600_000 + EXPIRY_GRACE_MS + 2_000);
    r.stop();
    expect(events.slice(0, -1).every((e) => e === 'still pending')).toBe(true);
    expect(events.at(-1)).toBe('overdue: still pending');
  });

  it("asks once the customer action's own expiry has passed, before the backoff or the method's timeout would", async () => {
    const timed = { ...plugin, pendingTimeoutMs: 7 * 86_400_000 } as PaymentMethodPlugin;
    const expiry = Date.now() + 300_000;
    const state = { ...waiting(), statusAt: new Date(Date.now()).toISOString(), expiresAt: new Date(expiry).toISOString() };
    const w = world({ 'o-6': state }, () =>
      Date.now() < expiry ? { status: 'pending', references: {} } : { status: 'expired', references: {} },
    );
    const r = new Reconciler({
      orders: w.orders,
      plugins: new Map([['gopay', timed]]),
      updates: w.updates,
      owned: () => mine,
      firstMs: 1_000,
      maxMs: 3_600_000,
    });
    r.start();
    // Asked at about 1, 3, 7 … 255 s; the backoff alone would ask next at 460 s at the earliest.
    await vi.advanceTimersByTimeAsync(300_000 + EXPIRY_GRACE_MS + 1_000);
    r.stop();
    expect(w.published).toEqual([{ orderId: 'o-6', status: 'expired', verification: 'inquiry' }]);
  });
});
