// One span per Midtrans call, the client's retries and token refresh included: a CLIENT span named
// by its HTTP method and route template (`GET /v2/:orderId/status`), never the raw path, with the
// answer's codes, the attempts it took and the breaker's state. Headers, bodies, tokens and
// signatures never reach it.
import { SpanKind } from '@opentelemetry/api';
import type { ApiFamily } from '../tls/policy.ts';
import type { MidtransOutcome } from '../midtrans/facade.ts';
import { routeTemplate } from '../midtrans/route-template.ts';
import { annotate } from './attributes.ts';
import { failed, tracer, tracingEnabled } from './tracer.ts';

export const CORE_SCOPE = '@paystream/core';

export interface CallFacts {
  readonly family: ApiFamily;
  readonly method: string;
  readonly path: string;
  readonly merchant: string;
  /** The breaker's state for the call's merchant and family; asked only of a recording span. */
  readonly breakerState: () => string;
}

const ignore = (): void => undefined;

/**
 * Runs one call in its span. `run` is given a function to call at each attempt. Not recording, the
 * call runs as it would without tracing: no name, no attributes are built.
 */
export function tracedCall(facts: CallFacts, run: (attempted: () => void) => Promise<MidtransOutcome>): Promise<MidtransOutcome> {
  // Not an async function: with tracing off the call's own promise is returned, nothing wrapped.
  return tracingEnabled() ? recordedCall(facts, run) : run(ignore);
}

async function recordedCall(facts: CallFacts, run: (attempted: () => void) => Promise<MidtransOutcome>): Promise<MidtransOutcome> {
  const span = tracer(CORE_SCOPE).startSpan('midtrans', { kind: SpanKind.CLIENT });
  if (!span.isRecording()) {
    span.end();
    return run(ignore);
  }
  let attempts = 0;
  const route = routeTemplate(facts.path);
  span.updateName(`${facts.method} ${route}`);
  annotate(span, () => ({
    'http.request.method': facts.method,
    'http.route': route,
    'url.template': route,
    'paystream.midtrans.family': facts.family,
    'paystream.midtrans.merchant': facts.merchant,
    'paystream.breaker.state': facts.breakerState(),
  }));
  try {
    const outcome = await run(() => attempts++);
    annotate(span, () => answered(outcome));
    return outcome;
  } catch (err) {
    annotate(span, () => refused(err));
    failed(span, err);
    throw err;
  } finally {
    annotate(span, () => ({ 'paystream.midtrans.attempts': attempts, 'paystream.midtrans.retries': Math.max(0, attempts - 1) }));
    span.end();
  }
}

function answered(outcome: MidtransOutcome): Record<string, string | number> {
  return {
    'http.response.status_code': outcome.httpStatus,
    'paystream.midtrans.result': outcome.ok ? 'ok' : outcome.kind,
    ...(outcome.responseCode ? { 'paystream.midtrans.response_code': outcome.responseCode.raw } : {}),
    ...(outcome.statusCode ? { 'paystream.midtrans.status_code': outcome.statusCode } : {}),
  };
}

function refused(err: unknown): Record<string, string | number> {
  const e = err as { kind?: unknown; httpStatus?: unknown; responseCode?: unknown };
  return {
    ...(typeof e.kind === 'string' ? { 'paystream.midtrans.result': e.kind } : {}),
    ...(typeof e.httpStatus === 'number' ? { 'http.response.status_code': e.httpStatus } : {}),
    ...(typeof e.responseCode === 'string' ? { 'paystream.midtrans.response_code': e.responseCode } : {}),
  };
}
