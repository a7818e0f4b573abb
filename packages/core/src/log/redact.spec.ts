import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsCardNumber, exponentsHoldCard } from '../cards/index.ts';
import { AccessTokens, TOKEN_SCRUB_GRACE_MS } from '../midtrans/access-tokens.ts';
import { createLogger } from './logger.ts';
import { SecretScrubber } from './redact.ts';

/** The line a logger writes for `text`, logged as the message and as a field. */
function logLine(text: string): string {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  createLogger({ name: 'test' }, stream).info({ field: text }, text);
  return chunks.join('');
}

/** The Luhn check digit completing `body`. */
function checkDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? (d > 4 ? 2 * d - 9 : 2 * d) : d;
  }
  return String((10 - (sum % 10)) % 10);
}

const CARD = '4811111111111114';

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

describe('card numbers in log lines', () => {
  // A 12–19 digit run was all the log masking knew: each of these passed it whole.
  it.each([
    ['grouped by spaces', 'pan 4811 1111 1111 1114', 'pan 4811 11** **** 1114'],
    ['grouped by dashes', 'pan 4811-1111-1111-1114', 'pan 4811-11**-****-1114'],
    ['with zero-width spaces', '4811\u200b1111\u200b1111\u200b1114', '4811\u200b11**\u200b****\u200b1114'],
    [
      'in full-width digits',
      '\uff14\uff18\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff14',
      '\uff14\uff18\uff11\uff11\uff11\uff11******\uff11\uff11\uff11\uff14',
    ],
    ['spread over JSON strings quoted in the line', '{"v":["4811","1111","1111","1114"]}', '{"v":["4811","11**","****","1114"]}'],
    ['behind a JSON escape quoted in the line', String.raw`{"v":"\u0034811111111111114"}`, String.raw`{"v":"\u003481111******1114"}`],
    ['in a JSON number with an exponent', '{"n":4811111111111114000e-3}', '{"n":*******************e-*}'],
  ])('masks a card %s', (_how, text, masked) => {
    const line = logLine(text);
    expect(line).not.toContain(CARD);
    const logged = JSON.parse(line) as { msg: string; field: string };
    expect(logged.msg).toBe(masked);
    expect(logged.field).toBe(masked);
  });

  it('masks every card the runtime guard finds, in however the line escapes it', () => {
    const card = fc.stringMatching(/^4[0-9]{14}$/).map((body) => body + checkDigit(body));
    const spelling = fc.constantFrom<(d: string) => string>(
      (d) => d,
      (d) => String.fromCharCode(0xff10 + Number(d)),
      (d) => String.fromCharCode(0x0660 + Number(d)),
      (d) => `\\u003${d}`,
      (d) => `\\\\u003${d}`,
    );
    const separator = fc.constantFrom('', ' ', '-', '.', '\u200b', '\u00a0', '\\n', '","', '\\u200b\\u200b');
    const context = fc.string({ maxLength: 20 }).map((s) => s.replace(/[0-9\\]/g, ''));
    fc.assert(
      fc.property(card, spelling, separator, context, context, (pan, spell, sep, before, after) => {
        const written = (pan.match(/.{1,4}/g) ?? []).map((g) => Array.from(g, spell).join('')).join(sep);
        const text = `${before}["${written}"]${after}`;
        expect(containsCardNumber(text) || exponentsHoldCard(text)).toBe(true);
        const logged = JSON.parse(logLine(text)) as { msg: string; field: string };
        for (const out of [logged.msg, logged.field]) expect(containsCardNumber(out) || exponentsHoldCard(out), out).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('replaces a registered secret before masking card numbers inside it', () => {
    const scrubber = new SecretScrubber();
    scrubber.register('tok.4811.1111.1111.1114.sig');
    expect(scrubber.scrub('Bearer tok.4811.1111.1111.1114.sig, pan 4811111111111114')).toBe('Bearer [secret], pan 481111******1114');
  });
});
