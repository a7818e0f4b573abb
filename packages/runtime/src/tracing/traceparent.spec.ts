import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { containsCardNumber } from '@paystream/core';
import type { ConsumedMessage } from '../kafka/key-ordered-options.ts';
import { upstreamContext } from './command-span.ts';
import { formatTraceparent, parseTraceparent } from './traceparent.ts';

const SAMPLED = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const message = (headers: Record<string, string | string[]>): ConsumedMessage => ({
  topic: 'paystream.commands.gopay',
  partition: 0,
  message: { key: Buffer.from('o-1'), value: Buffer.from('{}'), offset: '7', timestamp: '0', attributes: 0, headers },
});

describe('traceparent', () => {
  it('parse a W3C version-00 traceparent into a remote parent', () => {
    expect(parseTraceparent(SAMPLED)).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    expect(parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00')?.traceFlags).toBe(0);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['another version', '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['upper case', '00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`],
    ['an all-zero parent id', `00-0af7651916cd43dd8448eb211c80319c-${'0'.repeat(16)}-01`],
    ['trailing text', `${SAMPLED}-x`],
  ])('refuse a traceparent that is %s', (_what, text) => {
    expect(parseTraceparent(text)).toBeUndefined();
  });

  it('write a span context back, passing on the sampled flag only', () => {
    const ctx = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 0xff };
    expect(formatTraceparent(ctx)).toBe(SAMPLED);
    expect(formatTraceparent({ ...ctx, traceId: '0'.repeat(32) })).toBeUndefined();
  });

  it('never write one whose ids read as a card number', () => {
    const ctx = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '4811111111111114', traceFlags: 1 };
    expect(containsCardNumber(`00-${ctx.traceId}-${ctx.spanId}-01`)).toBe(true);
    expect(formatTraceparent(ctx)).toBeUndefined();
  });

  it("make the command's upstream span its parent, only for a traceparent the result may carry", () => {
    expect(trace.getSpanContext(upstreamContext(message({ traceparent: SAMPLED })))).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      isRemote: true,
    });
    const cardLike = '00-0af7651916cd43dd8448eb211c80319c-4811111111111114-01';
    for (const headers of [{}, { traceparent: 'garbage' }, { traceparent: [SAMPLED, SAMPLED] }, { traceparent: cardLike }])
      expect(trace.getSpanContext(upstreamContext(message(headers)))).toBeUndefined();
  });
});
