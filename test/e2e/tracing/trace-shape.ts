// Reading one exported trace: spans by name, a span's parent, and the checks every test of the
// tracing makes — each span found once, under the parent it must have.
import type { ReceivedSpan } from './otlp-receiver.ts';

/** OTLP span kinds. */
export const KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

/** The spans of a trace whose name matches, in export order. */
export function spansNamed(spans: readonly ReceivedSpan[], name: string | RegExp): ReceivedSpan[] {
  return spans.filter((s) => (typeof name === 'string' ? s.name === name : name.test(s.name)));
}

/** The one span of a trace with that name under `parent`; throws naming what the trace holds instead. */
export function childOf(spans: readonly ReceivedSpan[], parent: ReceivedSpan, name: string | RegExp): ReceivedSpan {
  const found = spansNamed(spans, name).filter((s) => s.parentSpanId === parent.spanId);
  if (found.length !== 1) {
    const shape = spans.map((s) => `${s.name} (${s.spanId} under ${s.parentSpanId || 'nothing'})`).join('; ');
    throw new Error(`expected one "${String(name)}" under "${parent.name}", found ${String(found.length)}: ${shape}`);
  }
  return found[0] as ReceivedSpan;
}

/** The traceparent a result event carries when `span` produced it. */
export const traceparentOf = (span: ReceivedSpan): string => `00-${span.traceId}-${span.spanId}-01`;
