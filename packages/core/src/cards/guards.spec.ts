import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsCardNumber, exponentsHoldCard, maskCards, maskedPayload, numbersHoldCard } from './guards.ts';

describe('card number guard', () => {
  it.each([
    '4811111111111114',
    '4811 1111 1111 1114',
    '4811-1111-1111-1114',
    '5211111111111117',
    '378282246310005',
    '6011111111111117',
    '3530111333300000',
  ])('finds %s', (card) => {
    expect(containsCardNumber(`{"details":{"note":"${card}"}}`)).toBe(true);
  });

  it.each([
    ['grouped by dots', '4811.1111.1111.1114'],
    ['grouped by slashes', '4811/1111/1111/1114'],
    ['grouped by " - "', '4811 - 1111 - 1111 - 1114'],
    ['after another number', 'qty 2 4811 1111 1111 1114'],
    ['after a phone number', '+6281234567890 4811111111111114'],
    ['between letters', 'x4811 1111 1111 1114y'],
    ['with zero-width spaces', '4811\u200b1111\u200b1111\u200b1114'],
    ['padded with many zero-width spaces', '4811\u200b\u200b\u200b\u200b\u200b\u200b1111 1111 1114'],
    ['glued to a number by a zero-width space', '99\u200b4811111111111114'],
    ['padded with variation selectors', '4811\ufe0f\ufe0f\ufe0f\ufe0f1111 1111 1114'],
    ['grouped by Hangul fillers', '4811\u31641111\u31641111\u31641114'],
    ['with no-break spaces', '4811\u00a01111\u00a01111\u00a01114'],
    ['in full-width digits', '\uff14\uff18\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff14'],
    ['in Arabic-Indic digits', '\u0664\u0668\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0664'],
    ['in superscript digits', '\u2074\u2078\u00b9\u00b9\u00b9\u00b9\u00b9\u00b9\u00b9\u00b9\u00b9\u00b9\u00b9\u00b9\u00b9\u2074'],
  ])('finds a card %s', (_how, text) => {
    expect(containsCardNumber(`{"v":"${text}"}`)).toBe(true);
    expect(containsCardNumber(maskCards(`{"v":"${text}"}`))).toBe(false);
  });

  it.each([
    ['a \\u escape', String.raw`{"v":"\u0034811111111111114"}`],
    ['an escaped surrogate pair of mathematical digits', String.raw`{"v":"\ud835\udfd2811111111111114"}`],
    ['an escape twice encoded', String.raw`{"v":"\\u0034811111111111114"}`],
    ['\\n between its groups', String.raw`{"v":"4811\n1111\n1111\n1114"}`],
    ['spread over JSON strings', '{"v":["4811","1111","1111","1114"]}'],
    ['JSON strings quoted once more', String.raw`{"v":"[\"4811\",\"1111\",\"1111\",\"1114\"]"}`],
    ['an escaped surrogate pair escaped twice', String.raw`{"v":"\\ud835\\udfd2811111111111114"}`],
    ['escaped invisible characters escaped twice', String.raw`{"v":"4811\\u200b\\u200b\\u200b\\u200b1111 1111 1114"}`],
  ])('finds a card behind %s in the raw command', (_how, raw) => {
    expect(containsCardNumber(raw)).toBe(true);
    expect(containsCardNumber(maskCards(raw))).toBe(false);
  });

  it.each([
    '+6281234567890',
    '081234567890',
    '6281234567890',
    '+62 812-3456-7890',
    '0812 3456 7890',
    '4811111111111115',
    'order-20261124000001',
    'INV/2026/11/24/000123',
    'Rp 4.500.000',
    '2026-11-24T10:00:00.123456+07:00',
    '1234567890123456',
    '12348111111111111114',
  ])('does not mistake %s for a card', (text) => {
    expect(containsCardNumber(`{"v":"${text}"}`)).toBe(false);
  });

  it('masks to first 6 / last 4, in place, whatever spells the digits', () => {
    expect(maskCards('pan 4811111111111114!')).toBe('pan 481111******1114!');
    expect(maskCards('4811 1111 1111 1114')).toBe('4811 11** **** 1114');
    expect(maskCards('\uff14\uff18\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff14')).toBe(
      '\uff14\uff18\uff11\uff11\uff11\uff11******\uff11\uff11\uff11\uff14',
    );
    expect(maskCards(String.raw`"481111\u0031111111114"`)).toBe('"481111******1114"');
    // An escape escaped twice is replaced whole: no backslash is left to escape the `*`, the text stays JSON.
    expect(maskCards(String.raw`"481111\\u0031111111114"`)).toBe('"481111******1114"');
  });

  it('finds a known card wherever it is embedded in hostile JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.string(), (noise, prefix) => {
        const text = JSON.stringify({ noise, deep: { deeper: [`${prefix.replace(/\d/g, '')} 4811111111111114`] } });
        expect(containsCardNumber(text)).toBe(true);
        expect(maskCards(text)).not.toContain('4811111111111114');
      }),
    );
  });

  it('finds a card held by a JSON number in a form the text does not show', () => {
    expect(containsCardNumber('{"v":4811111111111114000e-3}')).toBe(false);
    expect(numbersHoldCard(JSON.parse('{"v":[1,{"w":4811111111111114000e-3}]}'))).toBe(true);
    expect(numbersHoldCard(JSON.parse('{"v":150000,"w":6281234567890}'))).toBe(false);
  });

  it('finds a 19-digit card behind an exponent, which the parsed double no longer holds', () => {
    const raw = '{"details":{"n":6011949223252503324000e-3}}';
    expect(containsCardNumber(raw) || numbersHoldCard(JSON.parse(raw))).toBe(false);
    expect(exponentsHoldCard(raw)).toBe(true);
    expect(exponentsHoldCard('{"n":[1, 6.011949223252503324E18]}')).toBe(true);
    expect(maskedPayload(raw, JSON.parse(raw))).toBe('{"details":{"n":**********************e-*}}');
  });

  it('leaves exponents that write no card, and hex words that only look like them, alone', () => {
    expect(exponentsHoldCard('{"amount":{"value":1.5e5},"big":1e308,"tiny":5e-300,"huge":1e99999999999}')).toBe(false);
    expect(exponentsHoldCard(`{"commandId":"4061e12a-1d2e-4f3a-8b4c-5d6e7f8a9b0c","tokenId":"481111-1114-${randomUUID()}"}`)).toBe(false);
    expect(exponentsHoldCard(`{"n":${'1'.repeat(200_000)}}`)).toBe(false);
  });
});

describe('DLQ payload', () => {
  it('is the raw command masked in place, still JSON, when its cards are in strings', () => {
    const raw = String.raw`{"orderId":"o-1","details":{"note":"\u0034811 1111 1111 1114","n":150000}}`;
    const payload = maskedPayload(raw, JSON.parse(raw));
    expect(payload).toBe(String.raw`{"orderId":"o-1","details":{"note":"\u0034811 11** **** 1114","n":150000}}`);
    expect(JSON.parse(payload)).toMatchObject({ details: { note: '4811 11** **** 1114' } });
  });

  it('is the parsed command re-serialised when a JSON number holds the card', () => {
    const raw = '{"orderId":"o-1","details":{"n":4811111111111114000e-3,"m":4811111111111114}}';
    const payload = maskedPayload(raw, JSON.parse(raw));
    expect(JSON.parse(payload)).toEqual({ orderId: 'o-1', details: { n: '481111******1114', m: '481111******1114' } });
  });

  it('keeps no digit of a command too deep to re-serialise', () => {
    const raw = `${'['.repeat(200_000)}4811111111111114000e-3${']'.repeat(200_000)}`;
    const payload = maskedPayload(raw, JSON.parse(raw));
    expect(payload).not.toMatch(/[0-9]/);
  });

  it('is the text masked when the command is not JSON', () => {
    expect(maskedPayload('{"note": "4811 1111 1111 1114', undefined)).toBe('{"note": "4811 11** **** 1114');
  });
});
