// The runtime's spans and trace context, on `@opentelemetry/api` alone.
export { clearPendingCommits, commandFinished, offsetsCommitted } from './commit-spans.ts';
export { commandSpan, noteOutcome, produceSpan, upstreamContext } from './command-span.ts';
export { RUNTIME_SCOPE } from './scope.ts';
export { forgetOrders, orderStep, rememberOrder } from './order-traces.ts';
export { inquirySpan, inSpan, notificationSpan, operationSpan, reconcileSpan, verifySpan } from './spans.ts';
export { formatTraceparent, parseTraceparent } from './traceparent.ts';
