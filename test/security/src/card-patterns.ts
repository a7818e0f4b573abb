// Finds known card numbers in text however they are written: with separators or zero-width
// characters between the digits, in full-width or other Unicode digits, as JSON \u escapes, and
// masked too little. A mask may show the first 6 and last 4 digits, nothing in between.
import type { Finding } from './secret-scan.ts';

export interface CardPattern {
  readonly name: string;
  readonly digits: string;
  readonly pattern: RegExp;
}

const MASK = '[*xX#\\u2022\\u25cf]';
/** Up to three separator characters between two digits: spaces, punctuation, symbols, format characters. */
const SEP = `(?:(?!${MASK})[\\s\\p{P}\\p{S}\\p{Z}\\p{Cf}]){0,3}`;
const DIGIT_OR_MASK = /[0-9*xX#\u2022\u25cf]/g;

export function cardPatterns(cards: readonly string[]): CardPattern[] {
  return cards.map((digits, i) => {
    if (!/^\d{12,19}$/.test(digits)) throw new RangeError(`card ${String(i + 1)} is not 12–19 ASCII digits`);
    const body = digits
      .split('')
      .map((d) => `(?:${d}|${MASK})`)
      .join(SEP);
    return { name: `card ${String(i + 1)}`, digits, pattern: new RegExp(body, 'gu') };
  });
}

/** The decimal value of any Unicode decimal digit: Nd characters come in contiguous runs of whole sets of ten. */
function digitValue(ch: string): string {
  let cp = ch.codePointAt(0) ?? 0;
  const start = cp;
  while (cp > 0 && /\p{Nd}/u.test(String.fromCodePoint(cp - 1))) cp--;
  return String((start - cp) % 10);
}

/** JSON \u escapes decoded and every decimal digit made ASCII, so only the digits' values count. */
export function normaliseDigits(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/(?![0-9])\p{Nd}/gu, digitValue);
}

function classify(match: string, digits: string): 'full' | 'under-masked' | 'masked' {
  const shown = match.match(DIGIT_OR_MASK) ?? [];
  const middle = shown.slice(6, digits.length - 4);
  if (shown.every((c) => /[0-9]/.test(c))) return 'full';
  return middle.some((c) => /[0-9]/.test(c)) ? 'under-masked' : 'masked';
}

function scanOne(text: string, card: CardPattern, form: (match: string) => string): Finding[] {
  const found: Finding[] = [];
  for (const m of text.matchAll(card.pattern)) {
    const verdict = classify(m[0], card.digits);
    if (verdict === 'masked') continue;
    found.push({ kind: verdict === 'full' ? 'card-number' : 'card-under-masked', name: card.name, form: form(m[0]), index: m.index });
  }
  return found;
}

export function scanCards(text: string, cards: readonly CardPattern[]): Finding[] {
  if (cards.length === 0) return [];
  const normalised = normaliseDigits(text);
  const found: Finding[] = [];
  for (const card of cards) {
    const direct = scanOne(text, card, (m) => (/^[0-9*xX#\u2022\u25cf]+$/.test(m) ? 'raw' : 'with separators'));
    found.push(...(direct.length > 0 || normalised === text ? direct : scanOne(normalised, card, () => 'escaped or non-ASCII digits')));
  }
  return found;
}
