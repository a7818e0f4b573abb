import { describe, expect, it } from 'vitest';
import { AccessTokens, type IssuedToken } from './access-tokens.ts';

function deferredFetcher(): { fetch: (m: string) => Promise<IssuedToken>; resolveAll: (t: IssuedToken) => void; calls: number } {
  const pending: ((t: IssuedToken) => void)[] = [];
  const state = {
    calls: 0,
    fetch: () => {
      state.calls++;
      return new Promise<IssuedToken>((done) => pending.push(done));
    },
    resolveAll: (t: IssuedToken) => pending.splice(0).forEach((done) => done(t)),
  };
  return state;
}

describe('access tokens', () => {
  it('makes exactly one token request for 10,000 concurrent calls at cold start', async () => {
    const f = deferredFetcher();
    const tokens = new AccessTokens(f.fetch);
    const calls = Array.from({ length: 10_000 }, () => tokens.get('default'));
    f.resolveAll({ accessToken: 'T1', expiresAtMs: Date.now() + 900_000 });
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['T1']));
    expect(f.calls).toBe(1);
    expect(tokens.requests).toBe(1);
  });

  it('refreshes a token near expiry once, in the background, without failing or delaying calls', async () => {
    let now = 0;
    const f = deferredFetcher();
    const tokens = new AccessTokens(f.fetch, { refreshAheadMs: 60_000, now: () => now });
    const first = tokens.get('m');
    f.resolveAll({ accessToken: 'OLD', expiresAtMs: 900_000 });
    expect(await first).toBe('OLD');
    now = 850_000; // inside the refresh window
    const during = await Promise.all(Array.from({ length: 1000 }, () => tokens.get('m')));
    expect(new Set(during)).toEqual(new Set(['OLD']));
    expect(f.calls).toBe(2);
    f.resolveAll({ accessToken: 'NEW', expiresAtMs: 1_800_000 });
    await Promise.resolve();
    expect(await tokens.get('m')).toBe('NEW');
    expect(f.calls).toBe(2);
  });

  it('fetches anew after invalidation of the current token, but ignores a stale invalidation', async () => {
    let n = 0;
    const tokens = new AccessTokens(() => Promise.resolve({ accessToken: `T${String(++n)}`, expiresAtMs: Date.now() + 900_000 }));
    expect(await tokens.get('m')).toBe('T1');
    tokens.invalidate('m', 'T1');
    expect(await tokens.get('m')).toBe('T2');
    tokens.invalidate('m', 'T1');
    expect(await tokens.get('m')).toBe('T2');
  });

  it('keeps credential sets apart and propagates a failing token endpoint to every waiter', async () => {
    const tokens = new AccessTokens((m) =>
      m === 'bad' ? Promise.reject(new Error('token endpoint down')) : Promise.resolve({ accessToken: m, expiresAtMs: Date.now() + 1000 }),
    );
    const bad = await Promise.allSettled([tokens.get('bad'), tokens.get('bad')]);
    expect(bad.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(tokens.requests).toBe(1);
    expect(tokens.failures).toBe(1);
    expect(await tokens.get('a')).toBe('a');
    expect(await tokens.get('b')).toBe('b');
    expect([tokens.requests, tokens.failures]).toEqual([3, 1]);
  });
});
