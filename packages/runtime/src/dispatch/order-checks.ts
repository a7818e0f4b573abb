// What a command may not do to the order it names, whatever its own shape: charge an order a second
// time under another command (Midtrans would open a second transaction for the same order, and the
// customer could pay twice), or refund more than was charged. A redelivered charge has the same
// commandId and passes: Midtrans replays its first answer. Nor may any command name an order that
// left the state after its retention: it would be taken for a new order.
import type { PaymentCommand } from '@paystream/contracts';
import type { Operation } from '@paystream/plugin-sdk';
import { codes } from '@paystream/core';
import type { OrderState } from '../state/order-state.ts';
import { refusal, type Refusal } from './outcome.ts';

/** `retiredAt`: when the order left the state, if its id is remembered as retired (state/retired-orders.ts). */
export function againstOrder(command: PaymentCommand, op: Operation, state: OrderState, retiredAt?: Date): Refusal | undefined {
  const known = { orderId: command.orderId, commandId: command.commandId, method: command.method };
  if (retiredAt !== undefined && state.status === undefined && state.chargeCommandId === undefined)
    return refusal(codes.PS_ERR_COMMAND_ORDER_RETIRED, { orderId: command.orderId, retiredAt: retiredAt.toISOString(), type: op }, known);
  const charged = state.chargeCommandId;
  if (op === 'charge' && charged !== undefined && charged !== command.commandId)
    return refusal(codes.PS_ERR_COMMAND_ORDER_CHARGED, { orderId: command.orderId, charged }, known);
  const amount = state.amount;
  if (op === 'refund' && amount !== undefined && command.amount.value > amount)
    return refusal(
      codes.PS_ERR_COMMAND_REFUND_EXCEEDS_CHARGE,
      { refund: command.amount.value, charged: amount, orderId: command.orderId },
      known,
    );
  return undefined;
}
