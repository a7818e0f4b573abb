// Finding and masking card-like numbers in the reading of a text (digit-view.ts).
//
// A number is a run of digits, or several runs ("groups") with short runs of separators between
// them, the way people write cards: "4811 1111 1111 1114", "4811.1111.1111.1114". Every stretch of
// consecutive groups is a candidate, so a card right after an unrelated number ("qty 2 4811 1111
// 1111 1114") is still found. A run of digits is never cut: "12348111111111111114" is a 20-digit
// number, not a card after "1234", or order numbers and references would be refused all day.
import { INVISIBLE, readDigits, type DigitView } from './digit-view.ts';

/** The longest card (19 digits), and the shortest number the masking treats as one. */
const MAX_DIGITS = 19;
export const MIN_MASKED = 12;

/**
 * Separator characters allowed between two groups of one number: as many as the output scanner
 * looks through, so what it would call a readable card the guard also finds. Three also joins a
 * card split over JSON strings (`["4811","1111","1111","1114"]`). Invisible characters count zero:
 * padding with zero-width spaces cannot pull groups apart.
 */
const MAX_GAP = 3;

/**
 * Canonical UUIDs are words, not numbers. A Midtrans card token is `481111-1114-<UUID>`: joining the
 * UUID's leading digits to `481111-1114-` gave a Luhn-valid Visa length about once in a hundred
 * tokens, refusing genuine card payments. A UUID alone, read as digit groups, still holds a card of
 * a known scheme about once in 3,000 (its digit fields join across the dashes; the old guard too
 * refused one commandId in 5,000) — and every command has one: at a thousand commands a second, a
 * valid command refused every few seconds. Skipping them hides nothing real: no field of a UUID
 * holds 12 digits, no way of writing or pasting a card number yields the 8-4-4-4-12 hex shape, and
 * a number glued to a UUID makes it no UUID, read as digits like any other text.
 */
const UUID_AT = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/y;
const UUID_FIRST_DASH = 8;
const UUID_LENGTH = 36;

/** What a scan looks for: how many digits at least, and which Luhn-valid numbers, by first six digits and length. */
export interface Wanted {
  readonly minDigits: number;
  readonly accept: (bin: string, length: number) => boolean;
}

/** A number found: its digits, and the view ranges of its groups as [start, end, start, end, …]. True stops the scan. */
export type Found = (digits: string, groups: readonly number[]) => boolean;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlphanumeric = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Whether a UUID, a word of its own, starts at `at`. */
function uuidAt(text: string, at: number): boolean {
  if (at < 0 || isAlphanumeric(text.charCodeAt(at - 1)) || isAlphanumeric(text.charCodeAt(at + UUID_LENGTH))) return false;
  UUID_AT.lastIndex = at;
  return UUID_AT.test(text);
}

/**
 * The UUIDs overlapping `from`–`to`, as [start, end, …], found from their first dash: looking only
 * around the few chains long enough to matter costs less than matching UUIDs over the whole text.
 */
function uuidRanges(text: string, from: number, to: number): number[] {
  const ranges: number[] = [];
  const last = to + UUID_FIRST_DASH;
  for (let dash = text.indexOf('-', from - UUID_LENGTH + UUID_FIRST_DASH); dash >= 0 && dash < last; dash = text.indexOf('-', dash + 1)) {
    const start = dash - UUID_FIRST_DASH;
    if (!uuidAt(text, start)) continue;
    ranges.push(start, start + UUID_LENGTH);
    dash = start + UUID_LENGTH;
  }
  return ranges;
}

/** The first six digits of the groups from `k` on (the issuer's BIN). */
function binOf(text: string, groups: readonly number[], k: number): string {
  let bin = '';
  for (let g = k; g < groups.length && bin.length < 6; g += 2) {
    const start = groups[g] ?? 0;
    bin += text.slice(start, Math.min(groups[g + 1] ?? 0, start + 6 - bin.length));
  }
  return bin;
}

/**
 * Offers every candidate ending with the newest group, longest last. The Luhn check comes first,
 * computed as the candidate grows leftwards (one addition per digit rules out nine in ten), then
 * the wanted test on six digits and a length; only a number passing both is built.
 */
function offerEndingHere(text: string, groups: readonly number[], first: number, wanted: Wanted, found: Found): boolean {
  let sum = 0;
  let count = 0;
  for (let k = groups.length - 2; k >= first; k -= 2) {
    const start = groups[k] ?? 0;
    for (let p = (groups[k + 1] ?? 0) - 1; p >= start; p--, count++) {
      const d = text.charCodeAt(p) - 48;
      sum += count % 2 === 1 ? (d > 4 ? 2 * d - 9 : 2 * d) : d;
    }
    if (count > MAX_DIGITS) return false;
    if (count < wanted.minDigits || sum % 10 !== 0 || !wanted.accept(binOf(text, groups, k), count)) continue;
    const mine = groups.slice(k);
    let digits = '';
    for (let g = 0; g < mine.length; g += 2) digits += text.slice(mine[g], mine[g + 1]);
    if (found(digits, mine)) return true;
  }
  return false;
}

/** Offers the candidates of one chain, `from` to `to`, less the UUIDs in it. */
function offerChain(text: string, from: number, to: number, wanted: Wanted, found: Found): boolean {
  const uuids = uuidRanges(text, from, to);
  // Groups of the current stretch from `first` on; older ones are too far back for any candidate.
  const groups: number[] = [];
  let first = 0;
  let digits = 0;
  let uuid = 0;
  for (let start = from; start < to;) {
    let end = start + 1;
    while (end < to && isDigit(text.charCodeAt(end))) end++;
    while (uuid < uuids.length && (uuids[uuid + 1] ?? 0) <= start) uuid += 2;
    if (start >= (uuids[uuid] ?? to) || end - start > MAX_DIGITS) {
      groups.length = 0;
      first = 0;
      digits = 0;
    } else {
      groups.push(start, end);
      digits += end - start;
      // A candidate spans at most 19 groups of at least one digit each.
      if (groups.length - first > 2 * MAX_DIGITS) {
        digits -= (groups[first + 1] ?? 0) - (groups[first] ?? 0);
        first += 2;
      }
      if (digits >= wanted.minDigits && offerEndingHere(text, groups, first, wanted, found)) return true;
    }
    for (start = end; start < to && !isDigit(text.charCodeAt(start));) start++;
  }
  return false;
}

// One gap between two groups: at most MAX_GAP separators. Where the text holds invisible marks,
// any number of them around the separators do not count. Empty inside a group.
const GAP = `[^0-9A-Za-z]{0,${String(MAX_GAP)}}`;
const GAP_WITH_INVISIBLE = `\\0*(?:[^0-9A-Za-z\\0]\\0*){0,${String(MAX_GAP)}}`;
/**
 * The start of a chain of at least MIN_MASKED digits (leftmost, so where its chain starts), then
 * the whole chain from there. Native matching skips the rest of a command — dates, amounts,
 * words — without a JavaScript step per character.
 */
const chains = (gap: string): { long: RegExp; whole: RegExp } => ({
  long: new RegExp(`[0-9](?:${gap}[0-9]){${String(MIN_MASKED - 1)}}`, 'g'),
  whole: new RegExp(`[0-9]+(?:(?=[^0-9])${gap}[0-9]+)*`, 'y'),
});
const PLAIN = chains(GAP);
const WITH_INVISIBLE = chains(GAP_WITH_INVISIBLE);
/** What only the reading can interpret: escapes, NUL (the reading's invisible mark), non-ASCII. */
const UNREAD = /[\\\0\u0080-\uffff]/;

/**
 * The scan itself, over a view's units, or over a raw text if it reads as itself (undefined if
 * not): most commands have no backslash and no non-ASCII character, and need no view.
 */
function scan(text: string, raw: boolean, wanted: Wanted, found: Found): boolean | undefined {
  if (raw && UNREAD.test(text)) return undefined;
  // Shared expressions, as fresh copies would cost more than the scan of a short command; `found`
  // may scan another text meanwhile, so the position is kept here, not in `lastIndex`.
  const { long, whole } = !raw && text.includes(INVISIBLE) ? WITH_INVISIBLE : PLAIN;
  for (let at = 0; ;) {
    long.lastIndex = at;
    const start = long.exec(text)?.index;
    if (start === undefined) return false;
    whole.lastIndex = start;
    at = start + (whole.exec(text)?.[0].length ?? 1);
    if (offerChain(text, start, at, wanted, found)) return true;
  }
}

/** Calls `found` with every wanted Luhn-valid number of the view until it returns true. */
export function scanNumbers(view: DigitView, wanted: Wanted, found: Found): boolean {
  return scan(view.text, false, wanted, found) ?? false;
}

/** Whether the text, read only if it has to be, holds a wanted Luhn-valid number. */
export function holdsNumber(text: string, wanted: Wanted): boolean {
  const stop = (): boolean => true;
  return scan(text, true, wanted, stop) ?? scanNumbers(readDigits(text), wanted, stop);
}

/** Marks the units to mask for one number: all its digits but the first 6 and last 4. */
function markMiddle(digits: string, groups: readonly number[], marks: Uint8Array): void {
  let ordinal = 0;
  for (let g = 0; g < groups.length; g += 2) {
    for (let u = groups[g] ?? 0; u < (groups[g + 1] ?? 0); u++, ordinal++) {
      if (ordinal >= 6 && ordinal < digits.length - 4) marks[u] = 1;
    }
  }
}

/** The text with the characters behind the marked view units replaced by `*`, one per character. */
function replaceMarked(text: string, view: DigitView, marks: Uint8Array): string {
  const parts: string[] = [];
  let at = 0;
  for (let u = marks.indexOf(1); u >= 0; u = marks.indexOf(1, u + 1)) {
    const start = view.starts ? (view.starts[u] ?? 0) : u;
    // Units read from one character (an escape, a circled number) share its range.
    if (start < at) continue;
    parts.push(text.slice(at, start), '*');
    at = view.ends ? (view.ends[u] ?? 0) : u + 1;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** One masking pass over the wanted numbers; the text itself when there is none. */
export function maskPass(text: string, wanted: Wanted): string {
  const view = readDigits(text);
  const marks = new Uint8Array(view.text.length);
  scanNumbers(view, wanted, (digits, groups) => {
    markMiddle(digits, groups, marks);
    return false;
  });
  return marks.includes(1) ? replaceMarked(text, view, marks) : text;
}

/** Every digit of the text, however written, replaced by `*`: the masking of last resort. */
export function maskEveryDigit(text: string): string {
  const view = readDigits(text);
  const marks = new Uint8Array(view.text.length);
  for (let u = 0; u < view.text.length; u++) if (isDigit(view.text.charCodeAt(u))) marks[u] = 1;
  return replaceMarked(text, view, marks);
}
