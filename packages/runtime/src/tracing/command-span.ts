// The span of one command, from its message handed to the dispatcher to its result or DLQ record
// acknowledged; its offset's commit follows under it (commit-spans.ts). Its parent is the upstream
// service's span named by the command's `traceparent`, when that is one the result may carry too.
import { SpanKind, trace, ROOT_CONTEXT, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { annotate, containsCardNumber, tracingEnabled } from '@paystream/core';
import { headerText, TRACEPARENT, validTraceparent } from '../dispatch/headers.ts';
import { outcomeLabel, type Outcome } from '../dispatch/outcome.ts';
import type { ConsumedMessage } from '../kafka/key-ordered-options.ts';
import { commandFinished } from './commit-spans.ts';
import { orderStep, rememberOrder } from './order-traces.ts';
import { inSpan } from './spans.ts';
import { formatTraceparent, parseTraceparent } from './traceparent.ts';

/** The context of the upstream span a command names, or the root: a traceparent the result would not carry starts a new trace. */
export function upstreamContext(m: ConsumedMessage): Context {
  const text = headerText(m.message.headers, TRACEPARENT);
  if (text === undefined || !validTraceparent(text) || containsCardNumber(text)) return ROOT_CONTEXT;
  const remote = parseTraceparent(text);
  return remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
}

/** Handles a command in its span (`process <topic>`), a CONSUMER span under the upstream one. */
export function commandSpan(m: ConsumedMessage, work: () => Promise<void>): Promise<void> {
  if (!tracingEnabled()) return work();
  const attributes = (): Attributes => ({
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': m.topic,
    'messaging.destination.partition.id': String(m.partition),
    'messaging.kafka.offset': Number(m.message.offset),
  });
  const handle = async (span: Span): Promise<void> => {
    await work();
    if (span.isRecording()) commandFinished(m.topic, m.partition, Number(m.message.offset), span.spanContext());
  };
  return inSpan(`process ${m.topic}`, SpanKind.CONSUMER, attributes, handle, upstreamContext(m));
}

/**
 * Produces a result in its span (`send <topic>`, PRODUCER): `work` is given the span's traceparent,
 * for the result event and its headers, so a downstream consumer continues the same trace.
 */
export function produceSpan<T>(topic: string, orderId: string, work: (traceparent: string | undefined) => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work(undefined);
  const attributes = (): Attributes => ({
    'messaging.system': 'kafka',
    'messaging.operation.type': 'send',
    'messaging.destination.name': topic,
    'paystream.order_id': orderId,
  });
  const { parent, links } = orderStep(orderId);
  return inSpan(`send ${topic}`, SpanKind.PRODUCER, attributes, (span) => work(formatTraceparent(span.spanContext())), parent, links);
}

/** Names the outcome of the command, notification or inquiry on its span. */
export function noteOutcome(o: Outcome): void {
  if (!tracingEnabled()) return;
  const span = trace.getActiveSpan();
  // The order's first result (its charge's) starts the trace its later steps join.
  if (o.kind === 'result' && o.orderId !== undefined && span?.isRecording() === true) rememberOrder(o.orderId, span.spanContext());
  annotate(span, () => ({
    'paystream.outcome': outcomeLabel(o),
    'paystream.method': o.method,
    ...(o.orderId === undefined ? {} : { 'paystream.order_id': o.orderId }),
    ...(o.commandId === undefined ? {} : { 'paystream.command_id': o.commandId }),
    ...(o.kind === 'refused' ? {} : { 'paystream.status': o.status }),
    ...(o.verification === undefined ? {} : { 'paystream.verification': o.verification }),
  }));
}
