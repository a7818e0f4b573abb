// What a span may carry. Spans leave the process for a collector that is not ours to secure, so an
// attribute is set only under a name of a closed set, and a text value is dropped when it holds a
// card number or any secret the log scrubber knows (client secrets, server keys, access tokens).
import type { Attributes, Span } from '@opentelemetry/api';
import { containsCardNumber } from '../cards/index.ts';
import { secretScrubber } from '../log/redact.ts';

/** Every attribute name a Paystream span may carry: identifiers, routes, codes — never a header, body or key. */
export const SPAN_ATTRIBUTES = new Set([
  'http.request.method',
  'http.response.status_code',
  'http.route',
  'url.template',
  'error.type',
  'messaging.system',
  'messaging.operation.type',
  'messaging.destination.name',
  'messaging.destination.partition.id',
  'messaging.kafka.offset',
  'messaging.kafka.message.key',
  'paystream.midtrans.family',
  'paystream.midtrans.merchant',
  'paystream.midtrans.response_code',
  'paystream.midtrans.status_code',
  'paystream.midtrans.result',
  'paystream.midtrans.attempts',
  'paystream.midtrans.retries',
  'paystream.breaker.state',
  'paystream.method',
  'paystream.operation',
  'paystream.order_id',
  'paystream.command_id',
  'paystream.command.type',
  'paystream.outcome',
  'paystream.status',
  'paystream.verification',
  'paystream.notification.kind',
  'paystream.notification.route',
  'paystream.notification.verdict',
  'paystream.reconcile.attempt',
  'paystream.commit.wait_ms',
]);

/** The longest text value kept: identifiers and routes are short; anything longer is not ours to export. */
const MAX_TEXT = 200;

/** A value as it may be exported, or undefined when it must not be. */
export function safeValue(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  if (value.length > MAX_TEXT || containsCardNumber(value)) return undefined;
  return secretScrubber.scrub(value) === value ? value : undefined;
}

/** The attributes that may be exported: known names, safe values; the rest is left out. */
export function safeAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!SPAN_ATTRIBUTES.has(name)) continue;
    const safe = safeValue(value);
    if (safe !== undefined) out[name] = safe;
  }
  return out;
}

/**
 * Sets attributes on a recording span only: `build` runs only then, so a worker that traces nothing
 * builds no attribute object on its hot path.
 */
export function annotate(span: Span | undefined, build: () => Attributes): void {
  if (span?.isRecording() !== true) return;
  span.setAttributes(safeAttributes(build()));
}
