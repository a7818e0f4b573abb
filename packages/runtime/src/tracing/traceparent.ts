// W3C trace context, version 00, as the commands carry it and the results pass it on: parsed into
// a remote parent for the command's spans, and written from the span that produces the result.
import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';
import { containsCardNumber } from '@paystream/core';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The remote span context a traceparent names; undefined unless it is valid version-00 W3C text. */
export function parseTraceparent(text: string | undefined): SpanContext | undefined {
  if (text === undefined) return undefined;
  const m = TRACEPARENT.exec(text);
  if (!m) return undefined;
  const ctx: SpanContext = { traceId: m[1] ?? '', spanId: m[2] ?? '', traceFlags: parseInt(m[3] ?? '0', 16) & 1, isRemote: true };
  return isSpanContextValid(ctx) ? ctx : undefined;
}

/**
 * The traceparent of a span context: only the sampled flag is passed on. Undefined when the context
 * is invalid, or when its ids happen to read as a card number — a result never carries one.
 */
export function formatTraceparent(ctx: SpanContext): string | undefined {
  if (!isSpanContextValid(ctx)) return undefined;
  const text = `00-${ctx.traceId}-${ctx.spanId}-0${String(ctx.traceFlags & 1)}`;
  return containsCardNumber(text) ? undefined : text;
}
