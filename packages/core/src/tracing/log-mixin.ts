// Log lines join their trace: while a span is active, pino adds its ids to the line.
import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * pino `mixin`: `trace_id` and `span_id` of the active span; an empty object otherwise. A new object
 * each time: pino merges the line's own fields into what the mixin returns.
 */
export function traceMixin(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const ctx = span.spanContext();
  return isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}
