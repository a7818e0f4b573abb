// CommandHandler over faked services: what it hands each step to, and that every command ends in
// exactly one publish or one refusal, with its reservation released.
import { randomUUID } from 'node:crypto';
import type { PaymentUpdate } from '@paystream/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { command, fakePlugin, keepingPublisher, MemoryOrders, message, orderState, TOPIC } from '../../test/dispatch-fakes.ts';
import type { OrderChange } from '../state/order-state.ts';
import { CommandBindings } from './command-bindings.ts';
import { CommandHandler } from './command-handler.ts';
import type { Outcome, Refusal } from './outcome.ts';

function handler(answer: () => Promise<PaymentUpdate>, state?: OrderChange) {
  const orders = new MemoryOrders();
  if (state) orders.applied('o-1', orderState(state));
  const refused: Refusal[] = [];
  const published: { status: string; verification: string }[] = [];
  const outcomes: Outcome[] = [];
  const { plugin } = fakePlugin();
  const h = new CommandHandler({
    rules: { plugins: new Map([['gopay', plugin]]), orders, onOutcome: (o) => outcomes.push(o) },
    bindings: new CommandBindings(orders, keepingPublisher([])),
    calls: { run: answer },
    updates: { publish: (_c, _p, u, o) => (published.push({ status: u.status, verification: o.verification }), Promise.resolve(true)) },
    dlq: { refuse: (_m, r) => (refused.push(r), Promise.resolve()) },
  });
  const handle = (value: string): Promise<void> => h.handle({ topic: TOPIC, partition: 0, message: message(value, 'o-1') });
  return { handle, refused, published, outcomes, orders };
}

const answered =
  (status: PaymentUpdate['status'], extra: Partial<PaymentUpdate> = {}) =>
  () =>
    Promise.resolve({ status, references: {}, ...extra });

describe('CommandHandler', () => {
  it('publishes the answer to an accepted command as a response, once its commandId is bound', async () => {
    const t = handler(answered('action_required'));
    const commandId = randomUUID();
    await t.handle(command({ commandId }));
    expect(t.published).toEqual([{ status: 'action_required', verification: 'response' }]);
    expect(t.refused).toEqual([]);
    expect(t.orders.orderOfCommand(commandId)).toBe('o-1');
  });

  it('hands a refused command to the DLQ without calling the plugin', async () => {
    const t = handler(() => Promise.reject(new Error('must not be called')));
    await t.handle(command({ method: 'dana' }));
    expect(t.refused.map((r) => r.code)).toEqual(['PS_ERR_COMMAND_UNKNOWN_METHOD']);
    expect(t.published).toEqual([]);
  });

  it('refuses a command the order guards forbid', async () => {
    const t = handler(answered('succeeded'), { chargeCommandId: randomUUID(), amount: 10_000, status: 'succeeded' });
    await t.handle(command());
    expect(t.refused.map((r) => r.code)).toEqual(['PS_ERR_COMMAND_ORDER_CHARGED']);
  });

  it('turns a plugin defect into HANDLER_FAILED and releases the commandId for a later try', async () => {
    let fail = true;
    const t = handler(() => (fail ? Promise.reject(new RangeError('defect')) : Promise.resolve({ status: 'pending', references: {} })));
    const again = command({ commandId: randomUUID() });
    await t.handle(again);
    fail = false;
    await t.handle(again);
    expect(t.refused.map((r) => r.code)).toEqual(['PS_ERR_COMMAND_HANDLER_FAILED']);
    expect(t.published).toEqual([{ status: 'pending', verification: 'response' }]);
  });

  it('holds a status answer to the charged amount, and keeps an order waiting for its customer as such', async () => {
    const state: OrderChange = { chargeCommandId: randomUUID(), amount: 10_000, status: 'action_required' };
    const wrong = handler(answered('succeeded', { amount: 1, currency: 'IDR' }), state);
    await wrong.handle(command({ type: 'payment.status' }));
    expect(wrong.published).toEqual([]);
    expect(wrong.outcomes).toEqual([expect.objectContaining({ kind: 'ignored', status: 'succeeded' })]);
    const waiting = handler(answered('pending'), state);
    await waiting.handle(command({ type: 'payment.status' }));
    expect(waiting.published).toEqual([{ status: 'action_required', verification: 'inquiry' }]);
  });
});
