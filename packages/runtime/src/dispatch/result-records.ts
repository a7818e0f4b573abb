// What a Midtrans answer becomes: the signed result event on the results topic, with only the
// sanitised trace context as headers, and the facts of a charge the order state keeps.
import type { PaymentCommand } from '@paystream/contracts';
import type { PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import type { OutMessage } from '../kafka/publisher.ts';
import type { OrderChange } from '../state/order-state.ts';
import { paymentEvent, type EventCrypto, type Verification } from './events.ts';
import { resultHeaders, type TraceContext } from './headers.ts';

export interface PublishOptions extends TraceContext {
  readonly verification: Verification;
  /** The command-topic partition the order's charge came from: whoever owns it reconciles the order. */
  readonly partition?: number;
  /** When the command reached Kafka (epoch ms), for the command→result latency. */
  readonly receivedAt?: number;
}

/** The trace context alone, without the other options. */
export const traceOf = (opts: TraceContext): TraceContext => ({
  ...(opts.traceparent ? { traceparent: opts.traceparent } : {}),
  ...(opts.correlationId ? { correlationId: opts.correlationId } : {}),
});

/**
 * An inquiry cannot tell "waiting for the customer" from "pending": both are Midtrans' pending. Asked
 * by a status command about an order that is waiting for its customer, the answer is that it still
 * is — so the command gets its result instead of being dropped as a step back to pending.
 */
export function stillWaiting(update: PaymentUpdate, current: string | undefined): PaymentUpdate {
  return update.status === 'pending' && current === 'action_required' ? { ...update, status: 'action_required' } : update;
}

/** What the order state keeps of a charge: the command, amount and merchant it was made for, and who reconciles it. */
export function chargeFacts(command: PaymentCommand, update: PaymentUpdate, opts: PublishOptions): OrderChange {
  if (command.type !== 'payment.charge') return {};
  return {
    method: command.method,
    chargeCommandId: command.commandId,
    amount: command.amount.value,
    currency: command.amount.currency,
    ...(command.merchant ? { merchant: command.merchant } : {}),
    ...(opts.partition === undefined ? {} : { partition: opts.partition }),
    ...(update.action?.expiresAt ? { expiresAt: update.action.expiresAt } : {}),
  };
}

/** The signed result event of the update, keyed by its order. */
export function resultMessage(
  topic: string,
  command: PaymentCommand,
  plugin: PaymentMethodPlugin,
  update: PaymentUpdate,
  opts: PublishOptions,
  crypto: EventCrypto,
): OutMessage {
  const trace = traceOf(opts);
  const event = paymentEvent(command, plugin, update, opts.verification, crypto, trace.traceparent);
  return { topic, key: command.orderId, value: JSON.stringify(event), headers: resultHeaders(trace) };
}
