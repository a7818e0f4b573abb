// The dispatch guards against hostile commands: every Luhn-valid card number of a real scheme,
// however it is written and wherever it is put, is found and masked beyond recovery; a 3-D Secure
// switch is found at any depth. The last block holds the ways around the guards these properties
// found; each test states the behaviour the guard must have.
import { containsCardNumber, disablesThreeDs, maskCards } from '@paystream/runtime';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanForSecrets } from '../src/secret-scan.ts';
import { context, nestedJson, pan, PROTO_KEYS, writtenPan } from './arbitraries.ts';

/** True when masked text still gives the card away, in any form the output scanner knows. */
const recoverable = (text: string, card: string): boolean => scanForSecrets(text, { cardNumbers: [card] }).length > 0;

const placed = pan.chain((p) =>
  fc.tuple(
    fc.constant(p),
    writtenPan(p).chain((w) =>
      fc.oneof(
        context.map(([a, b]) => `${a} ${w} ${b}`),
        fc
          .tuple(fc.jsonValue({ maxDepth: 3 }), fc.integer({ min: 0, max: 20 }))
          .map(([noise, depth]) => JSON.stringify({ noise, card: JSON.parse(nestedJson(depth, JSON.stringify(w))) as unknown })),
        fc.integer({ min: 1, max: 10 }).map((depth) => nestedJson(depth, '1', w)),
        context.map(([a, b]) => JSON.stringify({ customer: { firstName: `${a}${w}${b}` } })),
      ),
    ),
  ),
);

describe('card number guard', () => {
  it('finds every Luhn-valid card of a real scheme, plain or grouped, in text, nested JSON values and keys', () => {
    fc.assert(
      fc.property(placed, ([, text]) => {
        expect(containsCardNumber(text)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('masks every such card beyond recovery', () => {
    fc.assert(
      fc.property(placed, ([card, text]) => {
        const masked = maskCards(text);
        expect(recoverable(masked, card)).toBe(false);
        expect(containsCardNumber(masked)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on huge or binary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 2_000 }),
          fc.integer({ min: 1, max: 20_000 }).map((n) => '4 '.repeat(n)),
        ),
        (text) => {
          expect(() => containsCardNumber(text)).not.toThrow();
          expect(containsCardNumber(maskCards(text))).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

const SWITCHES = ['secure', 'authentication', '3ds', 'threeds', 'three_ds', 'threeDs', 'threeDS'];
const OFF = [false, 'false', 0];

describe('3-D Secure guard', () => {
  it('finds a switch set off at any nesting up to 32 levels, in objects and arrays, among any siblings', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SWITCHES),
        fc.constantFrom(...OFF),
        fc.integer({ min: 0, max: 31 }),
        fc.jsonValue({ maxDepth: 2 }),
        (key, off, depth, noise) => {
          const leaf = `{"noise":${JSON.stringify(noise ?? null)},${JSON.stringify(key)}:${JSON.stringify(off)}}`;
          expect(disablesThreeDs(JSON.parse(nestedJson(depth, leaf, 'details')))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds a switch smuggled under a prototype key', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTO_KEYS), fc.constantFrom(...SWITCHES), fc.integer({ min: 0, max: 8 }), (proto, key, depth) => {
        expect(disablesThreeDs(JSON.parse(nestedJson(depth, `{${JSON.stringify(proto)}:{${JSON.stringify(key)}:false}}`)))).toBe(true);
        expect(({} as Record<string, unknown>)[key]).toBeUndefined();
      }),
    );
  });

  it('leaves commands alone when 3-D Secure stays on or the words appear only as text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SWITCHES), fc.integer({ min: 0, max: 31 }), (key, depth) => {
        expect(disablesThreeDs(JSON.parse(nestedJson(depth, `{${JSON.stringify(key)}:true,"note":"${key}: false"}`)))).toBe(false);
      }),
    );
  });
});

describe('the ways around the guards are closed: cards after other digits, grouped by any separator or invisible character, in Unicode digits or behind JSON escapes are found and masked; 3DS switches beyond the depth limit are refused', () => {
  const fullWidth = (s: string): string => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  const spread = (p: string, sep: string): string => (p.match(/.{1,4}/g) ?? []).join(sep);

  it('finds and masks a grouped card number that follows other digits ("qty 2 4811 1111 1111 1114")', () => {
    fc.assert(
      fc.property(pan, fc.integer({ min: 0, max: 9_999 }), fc.constantFrom(' ', '-'), (card, before, sep) => {
        const text = `qty ${String(before)}${sep}${spread(card, sep)} done`;
        expect(containsCardNumber(text)).toBe(true);
        expect(recoverable(maskCards(text), card)).toBe(false);
      }),
    );
  });

  it('finds and masks a card number grouped by any separator or invisible character', () => {
    fc.assert(
      fc.property(
        pan,
        fc.constantFrom('.', '/', '_', '\u00a0', '\u2009', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u200e', '\u202e'),
        (card, sep) => {
          const text = `{"note":"${spread(card, sep)}"}`;
          expect(containsCardNumber(text)).toBe(true);
          expect(recoverable(maskCards(text), card)).toBe(false);
        },
      ),
    );
  });

  it('finds and masks a card number written in full-width or other Unicode digits', () => {
    const arabicIndic = (s: string): string => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    fc.assert(
      fc.property(pan, fc.constantFrom(fullWidth, arabicIndic), (card, write) => {
        const text = `{"note":"${write(card)}"}`;
        expect(containsCardNumber(text)).toBe(true);
        expect(recoverable(maskCards(text), card)).toBe(false);
      }),
    );
  });

  it('finds a card number the raw command hides in JSON \\u escapes, which JSON.parse turns back into digits', () => {
    fc.assert(
      fc.property(pan, fc.nat(15), (card, at) => {
        const i = at % card.length;
        const raw = `{"customer":{"firstName":"${card.slice(0, i)}\\u00${card.charCodeAt(i).toString(16)}${card.slice(i + 1)}"}}`;
        expect((JSON.parse(raw) as { customer: { firstName: string } }).customer.firstName).toBe(card);
        expect(containsCardNumber(raw)).toBe(true);
        expect(recoverable(maskCards(raw), card)).toBe(false);
      }),
    );
  });

  it('finds a 3-D Secure switch nested deeper than 32 levels (the guard must fail closed, not open)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SWITCHES), fc.integer({ min: 33, max: 2_000 }), (key, depth) => {
        expect(disablesThreeDs(JSON.parse(nestedJson(depth, `{${JSON.stringify(key)}:false}`)))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
