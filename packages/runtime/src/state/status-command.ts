// A status inquiry on behalf of an order's charge, built from the order state: the notification
// ingress and the reconciler ask Midtrans about orders no command is in flight for.
import type { PaymentCommand } from '@paystream/contracts';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { OrderState } from './order-state.ts';

/** True when the order state names the charge a status inquiry needs. */
export function inquirable(state: OrderState): boolean {
  return Boolean(state.chargeCommandId && state.amount && state.method);
}

export function statusCommand(orderId: string, state: OrderState, plugin: PaymentMethodPlugin): PaymentCommand {
  // A status inquiry needs no command details; the plugin's defaults are used where it has them.
  const defaults = plugin.details.safeParse({});
  return {
    commandId: state.chargeCommandId ?? '',
    type: 'payment.status',
    method: plugin.method,
    orderId,
    ...(state.merchant ? { merchant: state.merchant } : {}),
    amount: { value: state.amount ?? 0, currency: state.currency ?? 'IDR' },
    details: defaults.success ? (defaults.data as Record<string, unknown>) : {},
    requestedAt: new Date().toISOString(),
  };
}
