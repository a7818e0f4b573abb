// The order guards: what a command may not do to the order it names, decided from the order's state.
import { randomUUID } from 'node:crypto';
import { PaymentCommand } from '@paystream/contracts';
import { describe, expect, it } from 'vitest';
import { commandFields, orderState } from '../../test/dispatch-fakes.ts';
import { againstOrder } from './order-checks.ts';

const commandOf = (fields: Record<string, unknown>): PaymentCommand => PaymentCommand.parse(commandFields({ orderId: 'o-1', ...fields }));
const first = randomUUID();
const charged = orderState({ chargeCommandId: first, amount: 10_000, status: 'succeeded' });

describe('againstOrder', () => {
  it('refuses a charge of an order another command charged, naming that command', () => {
    const refusal = againstOrder(commandOf({ commandId: randomUUID() }), 'charge', charged);
    expect(refusal).toMatchObject({ code: 'PS_ERR_COMMAND_ORDER_CHARGED', orderId: 'o-1', method: 'gopay' });
    expect(refusal?.message).toContain(first);
  });

  it('lets the charging command through again, and any charge of an order not charged yet', () => {
    expect(againstOrder(commandOf({ commandId: first }), 'charge', charged)).toBeUndefined();
    expect(againstOrder(commandOf({ commandId: randomUUID() }), 'charge', orderState())).toBeUndefined();
  });

  it('refuses a refund of more than was charged, and lets one of up to the charge through', () => {
    const refund = (value: number): PaymentCommand => commandOf({ type: 'payment.refund', amount: { value, currency: 'IDR' } });
    expect(againstOrder(refund(10_001), 'refund', charged)).toMatchObject({ code: 'PS_ERR_COMMAND_REFUND_EXCEEDS_CHARGE' });
    expect(againstOrder(refund(10_000), 'refund', charged)).toBeUndefined();
    expect(againstOrder(refund(1), 'refund', charged)).toBeUndefined();
  });

  it('refuses every command for an order that left the state, naming when, unless the order is known again', () => {
    const left = new Date('2026-01-02T03:04:05.000Z');
    for (const op of ['charge', 'refund', 'status', 'cancel'] as const) {
      const refusal = againstOrder(commandOf({}), op, orderState(), left);
      expect(refusal).toMatchObject({ code: 'PS_ERR_COMMAND_ORDER_RETIRED', orderId: 'o-1', method: 'gopay' });
      expect(refusal?.message).toContain('2026-01-02T03:04:05.000Z');
    }
    expect(againstOrder(commandOf({ type: 'payment.status' }), 'status', charged, left)).toBeUndefined();
  });

  it('leaves status and cancel commands alone', () => {
    expect(againstOrder(commandOf({ type: 'payment.status' }), 'status', charged)).toBeUndefined();
    expect(againstOrder(commandOf({ type: 'payment.cancel' }), 'cancel', charged)).toBeUndefined();
  });
});
