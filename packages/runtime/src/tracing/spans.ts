// The runtime's spans: a command consumed, a plugin operation, a result produced, a notification
// received and verified, a reconciler inquiry. Each runs its work with its span active, so the
// spans below it (core's Midtrans calls among them) become its children. With tracing off each is
// one boolean read and a direct call of the work.
import { context, SpanKind, trace, ROOT_CONTEXT, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import { annotate, failed, tracer, tracingEnabled } from '@paystream/core';
import { orderStep } from './order-traces.ts';
import { RUNTIME_SCOPE } from './scope.ts';

/** Runs `work` in a new span under `parent` (the active context when absent), ending it however the work ends. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: () => Attributes,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
  links: Link[] = [],
): Promise<T> {
  const span = tracer(RUNTIME_SCOPE).startSpan(name, { kind, links }, parent);
  annotate(span, attributes);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (err) {
    failed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** A plugin operation (`plugin charge`), under the command, notification or inquiry that asked for it. */
export function operationSpan<T>(method: string, operation: string, work: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work();
  return inSpan(`plugin ${operation}`, SpanKind.INTERNAL, () => ({ 'paystream.method': method, 'paystream.operation': operation }), work);
}

/** One Midtrans notification at the ingress, from its bytes read to its answer. A new trace: Midtrans sends no trace context. */
export function notificationSpan<T>(kind: string, path: string, work: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work();
  const attributes = (): Attributes => ({
    'http.request.method': 'POST',
    'http.route': path,
    'paystream.notification.kind': kind,
    'paystream.notification.route': path,
  });
  return inSpan(`notification ${kind}`, SpanKind.SERVER, attributes, work, ROOT_CONTEXT);
}

/** The verification of a notification's signature: a short span naming whether it held. */
export function verifySpan<V extends { valid: boolean }>(kind: string, verify: () => V): V {
  if (!tracingEnabled()) return verify();
  const span = tracer(RUNTIME_SCOPE).startSpan(`verify ${kind} notification`, { kind: SpanKind.INTERNAL });
  try {
    const verdict = verify();
    annotate(span, () => ({ 'paystream.notification.verdict': verdict.valid ? 'valid' : 'rejected' }));
    return verdict;
  } catch (err) {
    failed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** A status inquiry asked by a notification or the reconciler: a step of the order's trace (order-traces.ts). */
export function inquirySpan<T>(method: string, orderId: string, work: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work();
  const { parent, links } = orderStep(orderId);
  const attributes = (): Attributes => ({ 'paystream.method': method, 'paystream.order_id': orderId, 'paystream.operation': 'status' });
  return inSpan(`inquire ${method}`, SpanKind.INTERNAL, attributes, work, parent, links);
}

/** One reconciler inquiry about a waiting order: a trace of its own. */
export function reconcileSpan(orderId: string, attempt: number, work: () => Promise<void>): Promise<void> {
  if (!tracingEnabled()) return work();
  const attributes = (): Attributes => ({ 'paystream.order_id': orderId, 'paystream.reconcile.attempt': attempt });
  return inSpan('reconcile inquiry', SpanKind.INTERNAL, attributes, work, ROOT_CONTEXT);
}
