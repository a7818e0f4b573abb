// Midtrans card tokens and UUIDs are words, not numbers, to the card guard (card-numbers.ts): never
// taken for a card themselves, and hiding none placed in or next to them.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsCardNumber, looksLikeCard, maskCards } from './guards.ts';

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
