// A commandId names one command forever: reused on another body it is refused before Midtrans,
// since every Midtrans identifier derives from it; the identical command redelivered still passes.
import { randomUUID } from 'node:crypto';
import type { PaymentUpdate } from '@paystream/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { command, dlqRecords, harness, MemoryOrders, orderState, send, STATE_TOPIC } from '../../test/dispatch-fakes.ts';
import { MAX_BOUND_COMMANDS } from './command-bindings.ts';

const codes = (h: ReturnType<typeof harness>): string[] => dlqRecords(h.sent).map((r) => r.code);

describe('a commandId reused', () => {
  it.each([
    ['for another order', { orderId: 'o-2' }],
    ['for another type', { type: 'payment.cancel' }],
    ['for another amount', { amount: { value: 20_000, currency: 'IDR' } }],
    ['with other details', { details: { note: 'other' } }],
    ['for another merchant', { merchant: 'other-shop' }],
    ['with another customer', { customer: { email: 'someone@example.com' } }],
  ])('%s is refused as a duplicate and never reaches Midtrans', async (_how, change) => {
    const h = harness({ orders: new MemoryOrders() });
    const commandId = randomUUID();
    await send(h, command({ commandId }));
    await send(h, command({ commandId, ...change }));
    expect(h.calls).toHaveLength(1);
    expect(codes(h)).toEqual(['PS_ERR_COMMAND_DUPLICATE_ID']);
    expect(h.outcomes.map((o) => o.kind)).toEqual(['result', 'refused']);
  });

  it('as the identical command (a redelivery, or the same command resent later) passes each time', async () => {
    const h = harness({ orders: new MemoryOrders() });
    const raw = command();
    await send(h, raw);
    await send(h, raw);
    await send(h, raw.replace(/"requestedAt":"[^"]+"/, `"requestedAt":"${new Date(Date.now() + 1000).toISOString()}"`));
    expect(h.calls).toHaveLength(3);
    expect(codes(h)).toEqual([]);
  });

  it('stays refused after a restart: the binding is in the order state written before Midtrans was called', async () => {
    const first = harness({ orders: new MemoryOrders() });
    const commandId = randomUUID();
    await send(first, command({ commandId }));
    expect(first.sent.map((r) => r.topic)[0]).toBe(STATE_TOPIC);
    const restarted = harness({ orders: MemoryOrders.from(first.sent) });
    await send(restarted, command({ commandId, orderId: 'o-2' }));
    await send(restarted, command({ commandId, amount: { value: 1, currency: 'IDR' } }));
    expect(restarted.calls).toEqual([]);
    expect(codes(restarted)).toEqual(['PS_ERR_COMMAND_DUPLICATE_ID', 'PS_ERR_COMMAND_DUPLICATE_ID']);
    await send(restarted, command({ commandId }).replace(/"requestedAt":"[^"]+"/, `"requestedAt":"${new Date().toISOString()}"`));
    expect(restarted.calls).toHaveLength(1);
  });

  it('by two orders at once is refused for the second while the first waits for Midtrans', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const h = harness({
      orders: new MemoryOrders(),
      answer: () => gate.then((): PaymentUpdate => ({ status: 'action_required', references: {} })),
    });
    const commandId = randomUUID();
    const a = send(h, command({ commandId, orderId: 'o-a' }));
    const b = send(h, command({ commandId, orderId: 'o-b' }));
    await b;
    release();
    await a;
    expect(h.calls.map((c) => c.command.orderId)).toEqual(['o-a']);
    expect(codes(h)).toEqual(['PS_ERR_COMMAND_DUPLICATE_ID']);
  });

  it('of a charge recorded before bindings existed is held to that charge', async () => {
    const orders = new MemoryOrders();
    const commandId = randomUUID();
    orders.applied('o-1', orderState({ chargeCommandId: commandId, amount: 10_000, method: 'gopay', status: 'action_required' }));
    const h = harness({ orders });
    await send(h, command({ commandId, amount: { value: 99, currency: 'IDR' } }));
    await send(h, command({ commandId, type: 'payment.refund' }));
    await send(h, command({ commandId }));
    expect(codes(h)).toEqual(['PS_ERR_COMMAND_DUPLICATE_ID', 'PS_ERR_COMMAND_DUPLICATE_ID']);
    expect(h.calls).toHaveLength(1);
  });
});

describe('bindings', () => {
  it('are not made for status inquiries, which send no identifier of their commandId, but hold against them', async () => {
    const h = harness({
      orders: new MemoryOrders(),
      answer: (op) => Promise.resolve({ status: op === 'status' ? 'pending' : 'action_required', references: {} }),
    });
    const charge = randomUUID();
    await send(h, command({ commandId: charge }));
    const status = randomUUID();
    await send(h, command({ commandId: status, type: 'payment.status' }));
    await send(h, command({ commandId: status, type: 'payment.status' }));
    await send(h, command({ commandId: charge, type: 'payment.status' }));
    expect(codes(h)).toEqual(['PS_ERR_COMMAND_DUPLICATE_ID']);
    expect(h.sent.filter((r) => r.topic === STATE_TOPIC && r.value?.includes(status.replace(/-/g, '')))).toEqual([]);
  });

  it('are never shown to plugins, whose references end up in result events, nor are the runtime fields', async () => {
    const orders = new MemoryOrders();
    const h = harness({ orders });
    await send(h, command());
    await send(h, command({ type: 'payment.refund' }));
    expect(Object.keys(orders.get('o-1').commands)).toHaveLength(2);
    expect(orders.get('o-1')).toMatchObject({ amount: 10_000, method: 'gopay', chargeCommandId: expect.any(String) as unknown });
    expect(h.calls.map((c) => Object.keys(c.references))).toEqual([['externalId'], ['referenceNo', 'externalId']]);
  });

  it(`are at most ${String(MAX_BOUND_COMMANDS)} per order, so its state record stays bounded`, async () => {
    const orders = new MemoryOrders();
    const h = harness({ orders });
    for (let i = 0; i <= MAX_BOUND_COMMANDS; i++) await send(h, command({ type: 'payment.refund', amount: { value: 1, currency: 'IDR' } }));
    expect(h.calls).toHaveLength(MAX_BOUND_COMMANDS);
    expect(codes(h)).toEqual(['PS_ERR_COMMAND_ORDER_COMMANDS_EXHAUSTED']);
    expect(Object.keys(orders.get('o-1').commands)).toHaveLength(MAX_BOUND_COMMANDS);
  });
});
