import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containsCardNumber,
  disablesThreeDs,
  exponentsHoldCard,
  looksLikeCard,
  maskCards,
  maskedPayload,
  numbersHoldCard,
} from './guards.ts';

/** The Luhn check digit completing `body`. */
function checkDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? (d > 4 ? 2 * d - 9 : 2 * d) : d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Luhn-valid cards of the schemes the guard knows. */
const pan = fc
  .constantFrom<[string, number]>(
    ['4', 16],
    ['4', 13],
    ['4', 19],
    ['51', 16],
    ['2221', 16],
    ['37', 15],
    ['3528', 16],
    ['6011', 16],
    ['62', 18],
    ['9360', 16],
  )
  .chain(([prefix, length]) =>
    fc.stringMatching(new RegExp(`^[0-9]{${String(length - prefix.length - 1)}}$`)).map((middle) => prefix + middle),
  )
  .map((body) => body + checkDigit(body));

/** Card tokens as the Midtrans sandbox mints them (first six, last four, a UUID), from its test cards. */
const SANDBOX: readonly [string, string][] = [
  ['481111', '1114'],
  ['521111', '1117'],
  ['411111', '1111'],
];
const token = (i: number, uuid: string = randomUUID()): string => {
  const [first, last] = SANDBOX[i % SANDBOX.length] ?? ['481111', '1114'];
  return `${first}-${last}-${uuid}`;
};

/** True when the masked text still shows the card's digits in a row, also across separators. */
const showsCard = (masked: string, card: string): boolean => masked.replace(/[^0-9*]/g, '').includes(card);

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

describe('Midtrans card tokens', () => {
  it('are never taken for card data, nor masked, for 100,000 tokens of the sandbox cards', () => {
    for (let i = 0; i < 100_000; i++) {
      const t = token(i);
      if (containsCardNumber(`{"details":{"tokenId":"${t}"}}`) || maskCards(t) !== t) expect.fail(`${t} taken for a card`);
    }
  });

  it('are never taken for card data when their UUID starts with digits that join into a Luhn-valid card', () => {
    // Before, "481111-1114-" joined the UUID's leading digits: with 3, 6 or 9 of them, a 13, 16 or
    // 19-digit Visa number, Luhn-valid once in ten. These are such UUIDs, uppercase ones included.
    const worst: string[] = [];
    for (const [lead, shape] of [
      [3, (d: string) => `${d}a1b2c-1d2e-4f3a-8b4c-5d6e7f8a9b0c`],
      [6, (d: string) => `${d}ab-1d2e-4f3a-8b4c-5d6e7f8a9b0c`],
      [9, (d: string) => `${d.slice(0, 8)}-${d.slice(8)}bcd-4123-9123-123456789012`],
      [9, (d: string) => `${d.slice(0, 8)}-${d.slice(8)}BCD-4123-9123-123456789012`],
    ] as const) {
      for (let n = 0, found = 0; found < 3; n++) {
        const digits = String(n).padStart(lead, '7');
        if (!looksLikeCard(`4811111114${digits}`)) continue;
        worst.push(token(0, shape(digits)));
        found++;
      }
    }
    worst.push(token(0, '12345678-1234-4123-8123-123456789012'), token(1, '99999999-9999-4999-9999-999999999999'));
    for (const t of worst) {
      expect(containsCardNumber(t), t).toBe(false);
      expect(containsCardNumber(`{"tokenId":"${t}","more":["${t}","${t}"]}`), t).toBe(false);
    }
  });

  it('still give away a card placed inside their UUID part or next to them', () => {
    const placements = [
      // As a field of the UUID, between the card digits and the UUID, as its last field, inside a hex field.
      (t: string, p: string) => `${t.slice(0, 31)}${p}-${t.slice(31)}`,
      (t: string, p: string) => `${t.slice(0, 12)}${p}-${t.slice(12)}`,
      (t: string, p: string) => `${t.slice(0, 36)}${p}`,
      (t: string, p: string) => `${t.slice(0, 20)}f${p}f${t.slice(20)}`,
      // Before or after the token.
      (t: string, p: string) => `${t}-${p}`,
      (t: string, p: string) => `${t} ${(p.match(/.{1,4}/g) ?? []).join(' ')}`,
      (t: string, p: string) => `${p} ${t}`,
      (t: string, p: string) => `${p}-${t}`,
      (t: string, p: string) => `${p}x${t}`,
    ];
    fc.assert(
      fc.property(fc.nat(2), fc.uuid({ version: 4 }), pan, fc.constantFrom(...placements), (i, uuid, card, place) => {
        const text = `{"details":{"tokenId":"${place(token(i, uuid), card)}"}}`;
        expect(containsCardNumber(text)).toBe(true);
        const masked = maskCards(text);
        expect(showsCard(masked, card)).toBe(false);
        expect(containsCardNumber(masked)).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('UUIDs', () => {
  // Every command carries one as its commandId. Read as digit groups, a random UUID holds a card of
  // a known scheme about once in 3,000; so canonical UUIDs are words to the guard (card-numbers.ts).
  it('are never taken for card data, 100,000 random ones and an all-digit one', () => {
    for (let i = 0; i < 100_000; i++) {
      const uuid = randomUUID();
      if (containsCardNumber(`{"commandId":"${uuid}"}`)) expect.fail(`${uuid} taken for a card`);
    }
    expect(containsCardNumber('48111111-1111-4114-8111-111111111114')).toBe(false);
  });

  it('hide nothing next to them', () => {
    expect(containsCardNumber(`${randomUUID()} 4811111111111114`)).toBe(true);
    expect(containsCardNumber('4811111111111114-a2345678-1234-4123-8123-123456789abc')).toBe(true);
    // Glued to a number, the shape is no UUID: it is read as digits like any other text.
    expect(containsCardNumber('4811 1111 1111 1114 1234567a-1234-4123-8123-123456789abc')).toBe(true);
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

describe('3DS guard', () => {
  it('refuses any nested switch set to false, and leaves everything else alone', () => {
    expect(disablesThreeDs({ secure: false })).toBe(true);
    expect(disablesThreeDs({ card: { authentication: 'false' } })).toBe(true);
    expect(disablesThreeDs({ a: [{ threeDs: false }] })).toBe(true);
    expect(disablesThreeDs({ secure: true, returnUrl: 'https://x' })).toBe(false);
    expect(disablesThreeDs({ note: 'secure: false' })).toBe(false);
  });

  it('reads switch names and values however they are cased or spelled', () => {
    for (const details of [
      { Secure: false },
      { THREE_DS: 0 },
      { 'three-d-secure': 'off' },
      { 'authenti\u200bcation': ' No ' },
      { '\uff53ecure': 'false' },
    ]) {
      expect(disablesThreeDs(details), JSON.stringify(details)).toBe(true);
    }
    expect(disablesThreeDs({ Secure: 'yes', authentication: true, threeDs: 1 })).toBe(false);
  });

  it('fails closed below 32 levels of nesting, and cannot be overflowed', () => {
    let deep: unknown = { secure: true };
    for (let i = 0; i < 32; i++) deep = { a: deep };
    expect(disablesThreeDs(deep)).toBe(false);
    expect(disablesThreeDs({ a: deep })).toBe(true);
    let huge: unknown = 1;
    for (let i = 0; i < 5_000; i++) huge = i % 2 === 0 ? { a: huge } : [huge];
    expect(disablesThreeDs(huge)).toBe(true);
  });
});
