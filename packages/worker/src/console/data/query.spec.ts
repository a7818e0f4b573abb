import { describe, expect, it } from 'vitest';
import { answering, DAY_MS, DEFAULT_WINDOW_DAYS, limitParam, methodParam, notFound, windowParams } from './query.ts';

const q = (text: string): URLSearchParams => new URLSearchParams(text);
const NOW = Date.parse('2026-02-01T00:00:00Z');

describe('console query parameters', () => {
  it('reads a window, by default the last DEFAULT_WINDOW_DAYS days', () => {
    expect(windowParams(q(''), NOW)).toEqual({ fromMs: NOW - DEFAULT_WINDOW_DAYS * DAY_MS, toMs: NOW });
    expect(windowParams(q('from=2026-01-31T00:00:00Z&to=2026-01-31T12:00:00%2B07:00'), NOW)).toEqual({
      fromMs: Date.parse('2026-01-31T00:00:00Z'),
      toMs: Date.parse('2026-01-31T05:00:00Z'),
    });
  });

  it('refuses a bad time, an empty window, a limit out of bounds and a method not installed, as 400', async () => {
    for (const text of ['from=yesterday', 'from=2026-01-31', 'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z']) {
      const answer = await answering(() => Promise.resolve(windowParams(q(text), NOW)));
      expect(answer.status, text).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'PS_ERR_CONSOLE_QUERY_INVALID' } });
    }
    expect(limitParam(q(''), 100, 500)).toBe(100);
    expect(limitParam(q('limit=500'), 100, 500)).toBe(500);
    for (const limit of ['0', '501', '-1', '1.5', 'x']) expect(() => limitParam(q(`limit=${limit}`), 100, 500)).toThrow(/limit/);
    expect(methodParam('gopay', ['gopay'])).toBe('gopay');
    expect(methodParam(null, ['gopay'])).toBeUndefined();
    expect(() => methodParam('evil', ['gopay'])).toThrow(/method/);
  });

  it('answers a missing order or record as 404 and lets other failures through', async () => {
    expect(await answering(() => Promise.reject(notFound.order('o-1')))).toMatchObject({ status: 404 });
    expect(await answering(() => Promise.reject(notFound.record('t', '0:1')))).toMatchObject({ status: 404 });
    await expect(answering(() => Promise.reject(new Error('broker down')))).rejects.toThrow('broker down');
  });
});
