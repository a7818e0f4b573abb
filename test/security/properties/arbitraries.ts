// Hostile inputs for the property tests: card numbers of every scheme the guard knows, the ways people
// and attackers write them, prototype-pollution keys, deep nesting, huge strings and Unicode tricks.
import fc from 'fast-check';

/** Issuer prefixes and lengths of the schemes the card guard recognises (Visa … GPN). */
const SCHEMES: readonly [prefix: string, lengths: readonly number[]][] = [
  ['4', [13, 16, 19]],
  ['51', [16]],
  ['55', [16]],
  ['2221', [16]],
  ['2720', [16]],
  ['34', [15]],
  ['37', [15]],
  ['3528', [16, 19]],
  ['3589', [16]],
  ['6011', [16, 19]],
  ['644', [16]],
  ['65', [16, 19]],
  ['62', [16, 17, 18, 19]],
  ['9360', [16, 19]],
];

export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A Luhn-valid card number of a real scheme. */
export const pan: fc.Arbitrary<string> = fc
  .constantFrom(...SCHEMES)
  .chain(([prefix, lengths]) => fc.tuple(fc.constant(prefix), fc.constantFrom(...lengths)))
  .chain(([prefix, length]) =>
    fc.stringMatching(new RegExp(`^[0-9]{${String(length - prefix.length - 1)}}$`)).map((middle) => prefix + middle),
  )
  .map((body) => body + luhnCheckDigit(body));

const groups = (digits: string): string[] => digits.match(/.{1,4}/g) ?? [];

/** The ways the card guard is specified to read: plain, or in groups with spaces or dashes. */
export const writtenPan = (p: string): fc.Arbitrary<string> => fc.constantFrom(p, groups(p).join(' '), groups(p).join('-'));

/** Text around a card number that keeps it a number of its own: no digit next to it. */
export const context: fc.Arbitrary<[string, string]> = fc
  .tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }))
  .map(([a, b]) => [a.replace(/[0-9]/g, ''), b.replace(/[0-9]/g, '')]);

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** JSON text of a value nested `depth` levels deep in objects and arrays. */
export function nestedJson(depth: number, leaf: string, key = 'a'): string {
  let text = leaf;
  for (let i = 0; i < depth; i++) text = i % 2 === 0 ? `{${JSON.stringify(key)}:${text}}` : `[${text}]`;
  return text;
}

/** Parsed JSON objects carrying prototype-pollution keys as own properties, at any depth. */
export const pollutingJson: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...PROTO_KEYS), fc.integer({ min: 0, max: 12 }), fc.jsonValue({ maxDepth: 2 }))
  .map(
    ([key, depth, payload]) =>
      JSON.parse(
        nestedJson(depth, `{${JSON.stringify(key)}:{"polluted":${JSON.stringify(payload ?? null)},"prototype":{"polluted":true}}}`),
      ) as unknown,
  );

/** Strings that look like something else: full-width and other digits, invisible and direction characters, homoglyphs. */
export const trickyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '\uff11\uff12\uff13',
    '\u0661\u0662\u0663',
    'order\u200d1',
    'order\u202e1',
    'ord\u0435r',
    'o\u0301rder',
    'order\n',
    ' order',
    'order\u0000',
    '\ud800',
    '\u2028',
  ),
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON-ish value an attacker could put in a field, including deep nesting and huge strings. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 4,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
    withBoxedValues: true,
  }),
  pollutingJson,
  trickyString,
  fc.integer({ min: 1, max: 5_000 }).map((depth) => JSON.parse(nestedJson(depth, '1')) as unknown),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    '1000',
    '\uff11\uff10\uff10\uff10',
    true,
    null,
    [],
    {},
  ),
);

/** The own property names of Object.prototype, to prove no input added one. */
export const prototypeShape = (): string => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
