// One traced run of a whole system: two GoPay charges sent with an upstream traceparent, both paid;
// the first confirmed by its notification, the second's notification lost and the order confirmed
// by the reconciler. The workers are then stopped (SIGTERM drains and flushes the last spans) and
// the run's trace read from the receiver.
import { randomBytes } from 'node:crypto';
import type { PaymentCommand, PaymentEvent } from '@paystream/contracts';
import { containsCardNumber } from '@paystream/core';
import { deriveIds } from '@paystream/runtime';
import { until, type LogLine, type PaystreamSystem } from '@paystream/test-harness';
import type { OtlpReceiver, ReceivedSpan } from './otlp-receiver.ts';
import { spansNamed } from './trace-shape.ts';

export interface TracedRun {
  readonly upstream: { readonly traceId: string; readonly spanId: string };
  readonly notified: PaymentCommand;
  readonly lost: PaymentCommand;
  /** The notified order's action_required and succeeded events, and the lost order's succeeded. */
  readonly events: { readonly asked: PaymentEvent; readonly paid: PaymentEvent; readonly found: PaymentEvent };
  /** The spans of the upstream trace. */
  readonly spans: readonly ReceivedSpan[];
  readonly logs: readonly LogLine[];
}

/** Random W3C ids that do not read as a card (the worker would not pass such a traceparent on). */
function upstreamIds(): { traceId: string; spanId: string } {
  for (;;) {
    const ids = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
    if (!containsCardNumber(`00-${ids.traceId}-${ids.spanId}-01`)) return ids;
  }
}

const MINUTE = { timeoutMs: 60_000 };

export async function tracedRun(system: PaystreamSystem, receiver: OtlpReceiver): Promise<TracedRun> {
  const upstream = upstreamIds();
  const notified = await system.charge({ method: 'gopay', orderId: `trace-${randomBytes(4).toString('hex')}` });
  const lost = await system.charge({ method: 'gopay', orderId: `trace-lost-${randomBytes(4).toString('hex')}` });
  await system.simulator.admin.webhooks({ dropOrders: [lost.orderId, deriveIds(lost.commandId).externalId] });
  await system.upstream.send([notified, lost], { traceparent: `00-${upstream.traceId}-${upstream.spanId}-01` });
  await system.payWhenAsked([notified.orderId, lost.orderId], MINUTE);
  const event = (orderId: string, type: PaymentEvent['type']) => () => system.results.paymentEvent(orderId, type);
  const paid = await until(event(notified.orderId, 'paystream.payment.succeeded'), () => 'the notified order never succeeded', MINUTE);
  const found = await until(event(lost.orderId, 'paystream.payment.succeeded'), () => 'the lost order was never confirmed', MINUTE);
  const asked = await until(event(notified.orderId, 'paystream.payment.action_required'), () => 'no action_required', MINUTE);
  const logs = system.workerLogs();
  // Exported at the latest by the drain of SIGTERM.
  await system.workers.stopAll();
  const spans = await until(
    () => {
      const t = receiver.trace(upstream.traceId);
      return spansNamed(t, /^send /).length >= 4 && spansNamed(t, /^commit /).length >= 2 ? t : undefined;
    },
    () =>
      `the trace holds ${
        receiver
          .trace(upstream.traceId)
          .map((s) => s.name)
          .join(', ') || 'nothing'
      }`,
    { timeoutMs: 30_000 },
  );
  return { upstream, notified, lost, events: { asked, paid, found }, spans, logs };
}
