// OrderUpdates: the order's state machine decides whether an answer is published, the state record and
// the result event go out in one write, and a listener that throws never undoes what was written.
import { randomUUID } from 'node:crypto';
import { PaymentCommand } from '@paystream/contracts';
import { codes, MidtransError } from '@paystream/core';
import type { PaymentUpdate } from '@paystream/plugin-sdk';
import { describe, expect, it } from 'vitest';
import {
  commandFields,
  fakePlugin,
  keepingPublisher,
  MemoryOrders,
  orderState,
  STATE_TOPIC,
  testCrypto,
} from '../../test/dispatch-fakes.ts';
import { OrderState, type OrderChange } from '../state/order-state.ts';
import type { OutMessage } from '../kafka/publisher.ts';
import type { OperationCalls } from './operation-calls.ts';
import { OrderUpdates } from './order-updates.ts';
import type { Outcome } from './outcome.ts';

const command = PaymentCommand.parse(commandFields({ orderId: 'o-1', commandId: randomUUID() }));
const { plugin } = fakePlugin();
const succeeded: PaymentUpdate = { status: 'succeeded', references: { referenceNo: 'ref-1' } };

function updates(opts: { state?: OrderChange; onOutcome?: (o: Outcome) => void; once?: OperationCalls['once'] } = {}) {
  const sent: OutMessage[] = [];
  const outcomes: Outcome[] = [];
  const errors: unknown[] = [];
  const orders = new MemoryOrders();
  if (opts.state) orders.applied('o-1', orderState(opts.state));
  const calls = { once: opts.once ?? (() => Promise.resolve(succeeded)) };
  const u = new OrderUpdates(
    {
      orders,
      crypto: testCrypto().crypto,
      onOutcome: opts.onOutcome ?? ((o) => outcomes.push(o)),
      onError: (err) => errors.push(err),
    },
    keepingPublisher(sent),
    calls,
  );
  return { u, sent, outcomes, errors, orders };
}

describe('OrderUpdates.publish', () => {
  it('writes the state record and the result event together, then applies the state', async () => {
    const w = updates({ state: { status: 'pending', method: 'gopay' } });
    expect(await w.u.publish(command, plugin, succeeded, { verification: 'inquiry', receivedAt: Date.now() - 5 })).toBe(true);
    expect(w.sent.map((r) => r.topic)).toEqual([STATE_TOPIC, 'paystream.results']);
    expect(w.orders.get('o-1')).toMatchObject({ status: 'succeeded', references: { referenceNo: 'ref-1' } });
    expect(OrderState.parse(JSON.parse(w.sent[0]?.value ?? '{}'))).toEqual(w.orders.get('o-1'));
    expect(JSON.parse(w.sent[1]?.value ?? '{}')).toMatchObject({ data: { orderId: 'o-1', status: 'succeeded' } });
    expect(w.outcomes).toEqual([expect.objectContaining({ kind: 'result', status: 'succeeded', verification: 'inquiry' })]);
    expect(w.outcomes[0]?.latencyMs).toBeGreaterThanOrEqual(5);
  });

  it('records the facts of a charge: its command, amount and partition', async () => {
    const w = updates();
    const charge = { ...command, type: 'payment.charge' as const };
    await w.u.publish(charge, plugin, { status: 'action_required', references: {} }, { verification: 'response', partition: 3 });
    expect(w.orders.get('o-1')).toMatchObject({
      v: 2,
      chargeCommandId: command.commandId,
      amount: 10_000,
      currency: 'IDR',
      partition: 3,
      method: 'gopay',
      status: 'action_required',
      statusAt: expect.any(String) as unknown,
    });
  });

  it('keeps a plugin reference named like a runtime field among the references, never in the field', async () => {
    const w = updates({ state: { status: 'action_required', method: 'gopay', amount: 20_000, merchant: 'shop' } });
    // A status inquiry's answer: nothing but the plugin's update changes the order.
    const inquiry = { ...command, type: 'payment.status' as const };
    const hostile = { amount: '1', status: 'refunded', method: 'qris', merchant: 'other', chargeCommandId: 'c-x', referenceNo: 'ref-2' };
    expect(await w.u.publish(inquiry, plugin, { status: 'succeeded', references: hostile }, { verification: 'inquiry' })).toBe(true);
    expect(w.orders.get('o-1')).toMatchObject({
      status: 'succeeded',
      method: 'gopay',
      amount: 20_000,
      merchant: 'shop',
      references: hostile,
    });
    expect(w.orders.get('o-1').chargeCommandId).toBeUndefined();
    const record = OrderState.parse(JSON.parse(w.sent[0]?.value ?? '{}'));
    expect(record).toMatchObject({ status: 'succeeded', amount: 20_000, method: 'gopay', references: hostile });
  });

  it('publishes nothing the state machine forbids, and reports why', async () => {
    const w = updates({ state: { status: 'succeeded' } });
    expect(await w.u.publish(command, plugin, { status: 'pending', references: {} }, { verification: 'notification+inquiry' })).toBe(false);
    expect(w.sent).toEqual([]);
    expect(w.orders.get('o-1').status).toBe('succeeded');
    expect(w.outcomes).toEqual([expect.objectContaining({ kind: 'ignored', status: 'pending', reason: 'pending after succeeded' })]);
  });

  it('still answers that it published when the outcome listener throws, and reports the listener failure', async () => {
    const w = updates({
      onOutcome: () => {
        throw new Error('a broken listener');
      },
    });
    expect(await w.u.publish(command, plugin, succeeded, { verification: 'inquiry' })).toBe(true);
    expect(w.sent).toHaveLength(2);
    expect(w.errors).toEqual([new Error('a broken listener')]);
  });
});

describe('OrderUpdates.inquire', () => {
  it('asks the plugin status operation once and passes a Midtrans failure on', async () => {
    const asked: string[] = [];
    const down = new MidtransError('retriable', codes.PS_ERR_MIDTRANS_UNAVAILABLE, {
      path: '/v1.0/debit/status',
      attempts: 3,
      last: 'ECONNREFUSED',
    });
    const w = updates({ once: (_p, op) => (asked.push(op), Promise.reject(down)) });
    await expect(w.u.inquire(plugin, command)).rejects.toBe(down);
    expect(asked).toEqual(['status']);
    expect(w.sent).toEqual([]);
  });
});
