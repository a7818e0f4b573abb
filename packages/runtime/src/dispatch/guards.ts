// Refusals before any plugin runs: card data anywhere in a command (merchants must never hold PANs),
// and any attempt to switch 3DS off. Both are decided here, never by the command.
import { luhnValid } from '@paystream/core';

const DIGIT_RUNS = /(?<![0-9])[0-9](?:[ -]?[0-9]){11,18}(?![0-9])/g;

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

export function looksLikeCard(digits: string): boolean {
  return luhnValid(digits) && SCHEMES.some(([prefix, lengths]) => prefix.test(digits) && lengths.includes(digits.length));
}

/** True when the text holds a card number, also written with spaces or dashes inside. */
export function containsCardNumber(text: string): boolean {
  for (const run of text.matchAll(DIGIT_RUNS)) {
    if (looksLikeCard(run[0].replace(/[ -]/g, ''))) return true;
  }
  return false;
}

/** Masks every card-like number in the text (first 6 / last 4), for DLQ payloads and logs. */
export function maskCards(text: string): string {
  return text.replace(DIGIT_RUNS, (run) => {
    const digits = run.replace(/[ -]/g, '');
    return digits.length >= 12 && luhnValid(digits) ? `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}` : run;
  });
}

const THREE_DS_KEYS = new Set(['secure', 'authentication', '3ds', 'threeds', 'three_ds', 'threeDs', 'threeDS']);

/** True when any nested field named like a 3DS switch is set to false (or "false"). */
export function disablesThreeDs(value: unknown, depth = 0): boolean {
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value)) {
    if (THREE_DS_KEYS.has(k) && (v === false || v === 'false' || v === 0)) return true;
    if (disablesThreeDs(v, depth + 1)) return true;
  }
  return false;
}
