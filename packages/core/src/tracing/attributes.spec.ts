import { trace, type Span } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { secretScrubber } from '../log/redact.ts';
import { annotate, safeAttributes, safeValue } from './attributes.ts';

/** A recording span that keeps what is set on it. */
function recordingSpan(): Span & { readonly attrs: Record<string, unknown> } {
  const attrs: Record<string, unknown> = {};
  const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
  return Object.assign(span, {
    attrs,
    isRecording: () => true,
    setAttributes: (a: Record<string, unknown>) => (Object.assign(attrs, a), span),
  });
}

describe('span attributes', () => {
  it('keep identifiers, routes and codes under the known names', () => {
    const attrs = {
      'http.request.method': 'POST',
      'http.route': '/v2/:orderId/status',
      'paystream.order_id': 'order-2026-0001',
      'paystream.midtrans.response_code': '2005400',
      'paystream.midtrans.attempts': 2,
    };
    expect(safeAttributes(attrs)).toEqual(attrs);
  });

  it('leave out every name outside the closed set: headers, bodies, tokens', () => {
    const out = safeAttributes({
      'http.request.header.authorization': 'Bearer abc',
      'paystream.body': '{"amount":1}',
      'paystream.access_token': 'tok',
      'paystream.order_id': 'o-1',
    });
    expect(out).toEqual({ 'paystream.order_id': 'o-1' });
  });

  it('drop a value holding a card number, in any grouping', () => {
    expect(safeValue('4811111111111114')).toBeUndefined();
    expect(safeValue('order 4811 1111 1111 1114')).toBeUndefined();
    expect(safeAttributes({ 'paystream.order_id': '4811-1111-1111-1114' })).toEqual({});
  });

  it('drop a value holding a registered secret', () => {
    const secret = `client-secret-${String(Date.now())}-abcdef`;
    secretScrubber.register(secret);
    expect(safeValue(`prefix ${secret}`)).toBeUndefined();
    expect(safeValue('plain-value')).toBe('plain-value');
  });

  it('drop text longer than an identifier', () => {
    expect(safeValue('x'.repeat(201))).toBeUndefined();
    expect(safeValue('x'.repeat(200))).toBe('x'.repeat(200));
  });

  it('build nothing for a span that does not record', () => {
    let built = 0;
    annotate(trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }), () => {
      built++;
      return {};
    });
    annotate(undefined, () => {
      built++;
      return {};
    });
    expect(built).toBe(0);
    const span = recordingSpan();
    annotate(span, () => ({ 'paystream.method': 'gopay', 'x-signature': 'sig' }));
    expect(span.attrs).toEqual({ 'paystream.method': 'gopay' });
  });
});
