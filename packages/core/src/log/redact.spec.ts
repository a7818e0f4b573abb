import { describe, expect, it } from 'vitest';
import { AccessTokens, TOKEN_SCRUB_GRACE_MS } from '../midtrans/access-tokens.ts';
import { SecretScrubber } from './redact.ts';

describe('secret scrubber', () => {
  it('forgets a value registered with an expiry once it passes, and keeps permanent values', () => {
    let now = 1_000;
    const scrubber = new SecretScrubber({ now: () => now });
    scrubber.register('client-secret-permanent');
    scrubber.register('access-token-0001', { expiresAtMs: 2_000 });
    expect(scrubber.scrub('a access-token-0001 b client-secret-permanent')).toBe('a [secret] b [secret]');
    expect(scrubber.size).toBe(2);
    now = 2_000;
    expect(scrubber.scrub('a access-token-0001 b client-secret-permanent')).toBe('a access-token-0001 b [secret]');
    expect(scrubber.size).toBe(1);
  });

  it('ignores a value already expired, and never shortens what it keeps', () => {
    let now = 5_000;
    const scrubber = new SecretScrubber({ now: () => now });
    scrubber.register('already-expired-token', { expiresAtMs: 4_000 });
    expect(scrubber.size).toBe(0);
    scrubber.register('client-secret-also-a-token');
    scrubber.register('client-secret-also-a-token', { expiresAtMs: 6_000 });
    scrubber.register('renewed-token-value', { expiresAtMs: 6_000 });
    scrubber.register('renewed-token-value', { expiresAtMs: 9_000 });
    now = 7_000;
    expect(scrubber.scrub('client-secret-also-a-token renewed-token-value')).toBe('[secret] [secret]');
  });

  it('stays bounded: a day of tokens per merchant for a year keeps only the live ones, and never more than the cap', () => {
    let now = 0;
    const scrubber = new SecretScrubber({ now: () => now, maxExpiring: 50 });
    scrubber.register('client-secret-permanent');
    for (let i = 0; i < 36_500; i++) {
      now += 864_000; // a token every 14.4 minutes, each valid for 15
      scrubber.register(`access-token-${String(i).padStart(6, '0')}`, { expiresAtMs: now + 900_000 });
    }
    expect(scrubber.size).toBeLessThanOrEqual(3);
    expect(scrubber.scrub('access-token-036499 access-token-000001')).toBe('[secret] access-token-000001');
    const capped = new SecretScrubber({ now: () => 0, maxExpiring: 50 });
    for (let i = 0; i < 1_000; i++) capped.register(`long-lived-token-${String(i)}`, { expiresAtMs: 1_000_000 + i });
    expect(capped.size).toBe(50);
    expect(capped.scrub('long-lived-token-999 long-lived-token-0 ')).toBe('[secret] long-lived-token-0 ');
  });

  it('is fed by the access-token cache with each token expiry plus a grace period', async () => {
    let now = Date.now();
    const scrubber = new SecretScrubber({ now: () => now });
    const expiresAtMs = now + 900_000;
    const tokens = new AccessTokens(() => Promise.resolve({ accessToken: 'issued-access-token-123', expiresAtMs }), { scrubber });
    expect(await tokens.get('default')).toBe('issued-access-token-123');
    expect(scrubber.scrub('Bearer issued-access-token-123')).toBe('Bearer [secret]');
    now = expiresAtMs + TOKEN_SCRUB_GRACE_MS - 1;
    expect(scrubber.scrub('issued-access-token-123')).toBe('[secret]');
    now = expiresAtMs + TOKEN_SCRUB_GRACE_MS;
    expect(scrubber.size).toBe(0);
  });
});
