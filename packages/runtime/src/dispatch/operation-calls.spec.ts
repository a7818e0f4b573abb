// OperationCalls: what a plugin's operation is given, how a command waits out Midtrans with the same
// identifiers, and how a single call reports a Midtrans failure before passing it on.
import { randomUUID } from 'node:crypto';
import { PaymentCommand } from '@paystream/contracts';
import { codes, MidtransError, type MidtransApi } from '@paystream/core';
import { describe, expect, it } from 'vitest';
import { commandFields, fakePlugin, MemoryOrders, orderState, type Answer } from '../../test/dispatch-fakes.ts';
import type { OrderChange } from '../state/order-state.ts';
import { commandKey } from '../state/state-merge.ts';
import { deriveIds } from './ids.ts';
import { OperationCalls } from './operation-calls.ts';

const down = (): MidtransError =>
  new MidtransError('retriable', codes.PS_ERR_MIDTRANS_UNAVAILABLE, { path: '/v1.0/debit/status', attempts: 3, last: 'ECONNREFUSED' });

function calls(answer?: Answer, state?: OrderChange) {
  const orders = new MemoryOrders();
  if (state) orders.applied('o-1', orderState(state));
  const reported: MidtransError[] = [];
  const { plugin, calls: seen } = fakePlugin(answer);
  const c = new OperationCalls(
    {
      midtrans: {} as MidtransApi,
      orders,
      accountOf: () => ({ merchantId: 'M-1', vaPartnerServiceIds: {} }),
      onMidtransError: (err) => reported.push(err),
    },
    { baseMs: 1, maxMs: 2 },
  );
  return { c, plugin, seen, reported };
}

const commandOf = (fields: Record<string, unknown>): PaymentCommand => PaymentCommand.parse(commandFields({ orderId: 'o-1', ...fields }));

describe('OperationCalls', () => {
  it('gives a charge the identifiers its commandId derives, and later commands the references the charge learnt', async () => {
    const charge = commandOf({ commandId: randomUUID() });
    const w = calls(undefined, {
      references: { externalId: 'from-the-charge' },
      commands: { [commandKey(charge.commandId)]: 'bound' },
      amount: 10_000,
      status: 'action_required',
      method: 'gopay',
    });
    await w.c.run(w.plugin, 'charge', charge);
    await w.c.run(w.plugin, 'refund', commandOf({ type: 'payment.refund', commandId: randomUUID() }));
    // Every identifier but the inquiry's (fresh for each inquiry) is the commandId's.
    const { inquiryId: _fresh, ...derived } = deriveIds(charge.commandId);
    expect(w.seen[0]?.ids).toMatchObject(derived);
    expect(w.seen[0]?.references['externalId']).toBe(deriveIds(charge.commandId).externalId);
    expect(w.seen[0]?.account).toEqual({ merchantId: 'M-1', vaPartnerServiceIds: {} });
    expect(w.seen[1]?.references['externalId']).toBe('from-the-charge');
    // The order's Midtrans references only: neither its bindings nor the runtime's fields.
    expect(w.seen[1]?.references).toEqual({ externalId: 'from-the-charge' });
  });

  it('runs a command until Midtrans answers, reporting each failure and keeping the identifiers', async () => {
    let failures = 2;
    const w = calls(() => (failures-- > 0 ? Promise.reject(down()) : Promise.resolve({ status: 'succeeded', references: {} })));
    const update = await w.c.run(w.plugin, 'charge', commandOf({ commandId: randomUUID() }));
    expect(update.status).toBe('succeeded');
    expect(w.reported).toHaveLength(2);
    expect(new Set(w.seen.map((ctx) => ctx.ids.externalId)).size).toBe(1);
  });

  it('throws any other error at once', async () => {
    const w = calls(() => Promise.reject(new TypeError('a plugin defect')));
    await expect(w.c.run(w.plugin, 'charge', commandOf({ commandId: randomUUID() }))).rejects.toThrow(TypeError);
    expect(w.seen).toHaveLength(1);
    expect(w.reported).toEqual([]);
  });

  it('calls once, reporting a Midtrans failure before passing it on', async () => {
    const w = calls(() => Promise.reject(down()));
    await expect(w.c.once(w.plugin, 'status', commandOf({ commandId: randomUUID() }))).rejects.toThrow(MidtransError);
    expect(w.seen).toHaveLength(1);
    expect(w.reported).toHaveLength(1);
  });
});
