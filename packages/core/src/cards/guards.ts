// Card numbers wherever text may carry them: the runtime refuses a command holding one (merchants
// must never hold PANs) and masks its DLQ record, and every log line is masked by the same reading,
// so what the guard would call a card never reaches a log either.
import { holdsNumber, maskEveryDigit, maskPass, MIN_MASKED, type Wanted } from './card-numbers.ts';
import { luhnValid } from './luhn.ts';
import { exponentLiteralsHold, maskExponentLiterals } from './number-literals.ts';

/**
 * Card schemes by issuer prefix and length (Visa, Mastercard, Amex, JCB, Discover, UnionPay, GPN).
 * Requiring a scheme as well as the Luhn check keeps Indonesian phone numbers (+62 8…, 08…) and
 * order numbers from being mistaken for cards.
 */
const SCHEMES: readonly [RegExp, readonly number[]][] = [
  [/^4/, [13, 16, 19]],
  [/^(5[1-5]|2(2[2-9][1-9]|2[3-9]|[3-6]|7[01]|720))/, [16]],
  [/^3[47]/, [15]],
  [/^35(2[89]|[3-8])/, [16, 17, 18, 19]],
  [/^(6011|64[4-9]|65)/, [16, 19]],
  [/^62/, [16, 17, 18, 19]],
  [/^9360/, [16, 19]],
];

// Hostile text can offer the same Luhn-valid BIN and length half a million times; seven regular
// expressions each time would be most of the scan. Bounded, as BINs come from the input.
const schemeOf = new Map<string, boolean>();
const MAX_SCHEMES_KNOWN = 10_000;

function isScheme(bin: string, length: number): boolean {
  const key = `${bin}/${String(length)}`;
  const known = schemeOf.get(key);
  if (known !== undefined) return known;
  const is = SCHEMES.some(([prefix, lengths]) => prefix.test(bin) && lengths.includes(length));
  if (schemeOf.size < MAX_SCHEMES_KNOWN) schemeOf.set(key, is);
  return is;
}

const CARDS: Wanted = { minDigits: 13, accept: isScheme };
/**
 * What masking hides: any Luhn-valid 12–19 digit number, of a scheme the guard knows or not (a
 * Maestro card is still a card). Wider than the refusal on purpose.
 */
const MASKED: Wanted = { minDigits: MIN_MASKED, accept: () => true };

export function looksLikeCard(digits: string): boolean {
  return luhnValid(digits) && isScheme(digits.slice(0, 6), digits.length);
}

/**
 * True when the text holds a card number: plain or grouped by any separators, in any Unicode
 * digits, behind JSON escapes or invisible characters (see card-numbers.ts for what counts as one
 * number). The raw text of a command is read rather than its parsed strings: every string, key and
 * number of the command is in it, the reading decodes JSON escapes, and a card split over several
 * strings is found too.
 */
export function containsCardNumber(text: string): boolean {
  return holdsNumber(text, CARDS);
}

/**
 * Masks every card-like number in the text to first 6 / last 4, for DLQ payloads and logs, in place:
 * the characters that spell a masked digit (a full-width digit, a `\u0034` escape) become one `*`
 * each. Masking splits groups and can, in contrived text, leave a new Luhn-valid stretch behind, so
 * it repeats until a pass finds nothing; each pass removes digits, so it ends.
 */
export function maskCards(text: string): string {
  for (let current = text; ;) {
    const next = maskPass(current, MASKED);
    if (next === current) return current;
    current = next;
  }
}

const holdsMaskable = (text: string): boolean => holdsNumber(text, MASKED);

/**
 * Masks every card-like number a text spells, JSON numbers written with an exponent included
 * (number-literals.ts): what log lines and the DLQ record of a command that is no JSON keep.
 */
export const maskCardText = (text: string): string => maskCards(maskExponentLiterals(text, holdsMaskable));

/**
 * True when the raw command holds a card in a JSON number written with an exponent, which neither
 * its text nor its parsed value may show (number-literals.ts).
 */
export const exponentsHoldCard = (raw: string): boolean => exponentLiteralsHold(raw, containsCardNumber);

/**
 * True when a JSON number of the parsed value holds a card the raw text may spell differently:
 * `4811111111111114000e-3` is the card once parsed but a 19-digit run as text. Iterative, so no
 * nesting depth overflows it.
 */
export function numbersHoldCard(value: unknown, holds: (text: string) => boolean = containsCardNumber): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number') {
      const text = String(v);
      if (text.length >= MIN_MASKED && holds(text)) return true;
    } else if (v !== null && typeof v === 'object') {
      for (const child of Object.values(v)) stack.push(child);
    }
  }
  return false;
}

/**
 * The payload a DLQ record keeps of a refused command. Usually the raw text masked in place, so
 * the operator sees the bytes that arrived. When a JSON number of the command holds a card (a
 * number cannot be masked in place and stay JSON, and its text may spell the card differently),
 * the parsed command is re-serialised with such numbers masked as strings, then masked as text
 * again for cards split over several values. A command too deeply nested to re-serialise keeps
 * no digit at all. A number whose exponent hides a card the parsed value lost keeps no digit either.
 */
export function maskedPayload(raw: string, parsed: unknown): string {
  if (parsed === undefined || !numbersHoldCard(parsed, holdsMaskable)) return maskCardText(raw);
  try {
    return maskCards(
      JSON.stringify(parsed, (_key, v: unknown) => (typeof v === 'number' && holdsMaskable(String(v)) ? maskCards(String(v)) : v)),
    );
  } catch {
    return maskEveryDigit(raw);
  }
}
