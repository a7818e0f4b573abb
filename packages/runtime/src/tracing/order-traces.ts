// An order's steps in one trace. A charge's command span starts the order's trace (the upstream
// service's, when it sent one); the notification that later says the customer paid, and the
// reconciler's inquiries, are requests of their own with traces of their own — their inquiry and
// result join the order's trace instead, linked to the request that caused them, so the result
// event carries the order's trace to downstream consumers. Remembered in memory only, and bounded:
// an order this process never charged (another worker's, or charged before a restart) keeps its
// steps in the request's trace.
import { context, trace, type Context, type Link, type SpanContext } from '@opentelemetry/api';

/** About 200 bytes each: at most some 10 MiB of a worker's heap, and only while tracing. */
const MAX_ORDERS = 50_000;

const orders = new Map<string, SpanContext>();

/** Remembers the span an order's trace continues from; the first one (its charge) is kept. */
export function rememberOrder(orderId: string, span: SpanContext): void {
  if (orders.has(orderId)) return;
  orders.set(orderId, span);
  if (orders.size > MAX_ORDERS) {
    const oldest = orders.keys().next().value;
    if (oldest !== undefined) orders.delete(oldest);
  }
}

/** Where a step of the order goes: under the order's span when its trace is not the active one, linked to the active span. */
export function orderStep(orderId: string): { parent: Context; links: Link[] } {
  const active = context.active();
  const order = orders.get(orderId);
  const current = trace.getSpanContext(active);
  if (order === undefined || current?.traceId === order.traceId) return { parent: active, links: [] };
  return { parent: trace.setSpanContext(active, order), links: current ? [{ context: current }] : [] };
}

/** For tests: forgets every order. */
export function forgetOrders(): void {
  orders.clear();
}
