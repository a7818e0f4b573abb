// Tracing of the libraries, on `@opentelemetry/api` alone (the worker registers the SDK).
export { annotate, safeAttributes, safeValue, SPAN_ATTRIBUTES } from './attributes.ts';
export { traceMixin } from './log-mixin.ts';
export { CORE_SCOPE, tracedCall, type CallFacts } from './midtrans-span.ts';
export { enableTracing, errorType, failed, tracer, tracingEnabled } from './tracer.ts';
