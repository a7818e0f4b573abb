// The tracers of the libraries. Without an SDK registered by the worker, `@opentelemetry/api` hands
// out non-recording spans and no context manager: every call here is then a no-op.
import { SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';

let enabled = false;

/**
 * Whether the worker registered an SDK. Checked first by every span of the libraries, so a worker
 * without a collector builds no span, context or attribute at all: one boolean read per step.
 */
export function tracingEnabled(): boolean {
  return enabled;
}

/** Called by the worker once its SDK is registered (and with false when it shuts the SDK down). */
export function enableTracing(on = true): void {
  enabled = on;
}

/** The tracer of an instrumentation scope (`@paystream/core`, `@paystream/runtime`), asked of the global provider each time: the worker may register its SDK after the libraries loaded. */
export function tracer(scope: string): Tracer {
  return trace.getTracer(scope);
}

/** Marks a recording span failed, named by the error's kind, code or class only: a message may hold input. */
export function failed(span: Span, err: unknown): void {
  if (!span.isRecording()) return;
  span.setStatus({ code: SpanStatusCode.ERROR });
  const type = errorType(err);
  span.setAttribute('error.type', /^[\w.:-]{1,80}$/.test(type) ? type : 'other');
}

/** An error's type as a bounded word: a MidtransError's kind, a code, or a class name. */
export function errorType(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const { kind, code } = err as { kind?: unknown; code?: unknown };
    if (typeof kind === 'string') return kind;
    if (typeof code === 'string') return code;
    const name = (err as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return typeof err;
}
