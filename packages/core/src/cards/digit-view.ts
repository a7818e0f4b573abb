// What the card guard reads instead of the text itself: every character reduced to what it means
// for a card number, with the way back to where it came from, so masking can replace the very
// characters that spelled a digit. A card written in full-width or Arabic-Indic digits, behind JSON
// escapes, or with invisible characters between its digits reads here as the plain digits it is.

/**
 * The reading of a text, one unit per character (some characters give several units).
 * Units are ASCII digits, ASCII letters (`L` for any other letter), the invisible mark `\0`, and
 * separators (any other character).
 */
export interface DigitView {
  readonly text: string;
  /** Source range of each unit; absent when every unit is the source character at the same index. */
  readonly starts?: Int32Array;
  readonly ends?: Int32Array;
}

/** The mark left by a character nobody sees (zero-width, BOM, direction marks): a separator of no width. */
export const INVISIBLE = '\0';

/**
 * Characters that show nothing of their own: format characters (\p{Cf}), the other default
 * ignorables (Hangul fillers, variation selectors) and combining marks, which only dress the
 * character before them. As separators they would each count as one: four between two groups of
 * digits would pull apart what a reader sees as one number.
 */
const UNSEEN = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Mn}\p{Me}]/u;

// Backslashes and non-ASCII characters are rare in commands: without them the text is its own view,
// and the common command costs one regular-expression test here.
const NEEDS_READING = /[\\\u0080-\uffff]/;
const SHORT_ESCAPES = new Set(['n', 'r', 't', 'b', 'f']);
/** Characters a backslash escapes to stand for themselves (a backslash itself starts the run). */
const SELF_ESCAPED = new Set(['"', '/']);

const readings = new Map<number, string>();
const MAX_CACHED = 4_096;

/** The decimal value of a Unicode decimal digit: `\p{Nd}` comes in aligned runs of ten. */
function digitValue(cp: number): string {
  let zero = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
  return String((cp - zero) % 10);
}

function unitOf(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return cp < 0x20 ? ' ' : ch;
  if (UNSEEN.test(ch)) return INVISIBLE;
  if (/\p{Nd}/u.test(ch)) return digitValue(cp);
  return /[\p{L}\p{N}]/u.test(ch) ? 'L' : ' ';
}

/**
 * The units of one non-ASCII code point. NFKC first, so compatibility forms (superscript and
 * circled digits, ligatures, the many spaces) read as what they stand for; digits NFKC leaves
 * alone (Arabic-Indic, Devanagari, …) are mapped by their value.
 */
function read(cp: number): string {
  const known = readings.get(cp);
  if (known !== undefined) return known;
  const ch = String.fromCodePoint(cp);
  const units = UNSEEN.test(ch) ? INVISIBLE : Array.from(ch.normalize('NFKC'), unitOf).join('');
  if (readings.size < MAX_CACHED) readings.set(cp, units);
  return units;
}

const HEX4 = /^[0-9A-Fa-f]{4}$/;

/**
 * The code point a `\uXXXX` escape (or a surrogate pair of them) at `at` spells, and its length.
 * The second half of a pair may stand behind more than one backslash, as in a pair escaped twice.
 */
function escapeAt(text: string, at: number): [cp: number, length: number] | undefined {
  const hex = text.slice(at + 2, at + 6);
  if (text[at + 1] !== 'u' || !HEX4.test(hex)) return undefined;
  const unit = Number.parseInt(hex, 16);
  if (unit < 0xd800 || unit >= 0xdc00) return [unit, 6];
  let u = at + 6;
  while (text.charCodeAt(u) === 0x5c) u++;
  const low = text.slice(u + 1, u + 5);
  if (u > at + 6 && text[u] === 'u' && HEX4.test(low)) {
    const second = Number.parseInt(low, 16);
    if (second >= 0xdc00 && second < 0xe000) return [0x10000 + ((unit - 0xd800) << 10) + (second - 0xdc00), u + 5 - at];
  }
  return [unit, 6];
}

const TO_READ = /[\\\u0080-\uffff]/g;

function nextToRead(text: string, from: number): number {
  TO_READ.lastIndex = from;
  return TO_READ.exec(text)?.index ?? text.length;
}

/** Units with their source ranges, in typed arrays grown as needed. */
class ViewBuilder {
  readonly #pieces: string[] = [];
  #starts: Int32Array;
  #ends: Int32Array;
  #n = 0;

  constructor(capacity: number) {
    this.#starts = new Int32Array(capacity);
    this.#ends = new Int32Array(capacity);
  }

  /** Source characters `from` to `to`, each its own unit. */
  copy(text: string, from: number, to: number): void {
    this.#reserve(to - from);
    this.#pieces.push(text.slice(from, to));
    const starts = this.#starts;
    const ends = this.#ends;
    for (let k = from, n = this.#n; k < to; k++, n++) {
      starts[n] = k;
      ends[n] = k + 1;
    }
    this.#n += to - from;
  }

  /** Units all read from the source range `start`–`end`. */
  add(units: string, start: number, end: number): void {
    this.#reserve(units.length);
    this.#pieces.push(units);
    this.#starts.fill(start, this.#n, this.#n + units.length);
    this.#ends.fill(end, this.#n, this.#n + units.length);
    this.#n += units.length;
  }

  build(): DigitView {
    return { text: this.#pieces.join(''), starts: this.#starts.subarray(0, this.#n), ends: this.#ends.subarray(0, this.#n) };
  }

  #reserve(more: number): void {
    if (this.#n + more <= this.#starts.length) return;
    const size = Math.max(this.#n + more, 2 * this.#starts.length);
    const [starts, ends] = [new Int32Array(size), new Int32Array(size)];
    starts.set(this.#starts);
    ends.set(this.#ends);
    [this.#starts, this.#ends] = [starts, ends];
  }
}

/**
 * The units of a run of backslashes at `at` with the escape it ends in, and its width. However many
 * backslashes escape a character, it reads once: text escaped once more (a command quoted in a log
 * line, where `","` becomes `\",\"` and `\u200b` becomes `\\u200b`) keeps the gaps it had, and
 * masking replaces the whole escape, leaving no backslash behind to escape the `*`.
 */
function escapeRunAt(text: string, at: number): [units: string, width: number] {
  let last = at;
  while (text.charCodeAt(last + 1) === 0x5c) last++;
  const escaped = escapeAt(text, last);
  if (escaped) return [read(escaped[0]), last - at + escaped[1]];
  const next = text.charAt(last + 1);
  if (SHORT_ESCAPES.has(next)) return [' ', last - at + 2];
  // An escaped quote or slash is read as itself next; other backslashes are one separator.
  return [SELF_ESCAPED.has(next) ? INVISIBLE : '\\', last - at + 1];
}

/** The units a backslash or non-ASCII character at `at` reads as, and how many UTF-16 code units it takes. */
function unitsAt(text: string, at: number): [units: string, width: number] {
  const code = text.charCodeAt(at);
  if (code === 0x5c) return escapeRunAt(text, at);
  const cp = text.codePointAt(at) ?? code;
  return [read(cp), cp > 0xffff ? 2 : 1];
}

/**
 * Reads a text for the card guard.
 *
 * JSON escapes are decoded wherever a backslash stands, also after an escaped backslash: a raw
 * command's `\\u0034` is the text `\u0034` once parsed, and a digit as soon as anyone parses or
 * unescapes it once more (the output scanner reads it so too). Decoding one level more than JSON
 * does can only add digits to read, never hide one.
 */
export function readDigits(text: string): DigitView {
  if (!NEEDS_READING.test(text)) return { text };
  const view = new ViewBuilder(text.length + 16);
  for (let i = 0; i < text.length;) {
    // Plain ASCII between the characters to read is copied as it is.
    const next = nextToRead(text, i);
    view.copy(text, i, next);
    if (next >= text.length) break;
    const [units, width] = unitsAt(text, next);
    view.add(units, next, next + width);
    i = next + width;
  }
  return view.build();
}
