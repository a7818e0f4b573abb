// JSON numbers written with an exponent, read as the decimal they are. `6011949223252503324000e-3`
// is a 19-digit card: its text is a 22-digit run (no card to the guard, which never cuts a run),
// and parsed it is a double that lost the digits that made it one. Written out, it is the card.

/** A number literal in value position: after the `:`, `,` or `[` that puts it there. */
const EXPONENT_LITERAL = /[:,[]\s*(-?(\d+)(?:\.(\d+))?[eE]([+-]?\d+))/g;
/** How far a literal's decimal point may move and still leave a number of card length in sight. */
const MAX_SHIFT = 64;

/** The literal's value in plain decimal, or undefined when it is far beyond any card's magnitude. */
function decimalOf(int: string, frac: string, exponent: string): string | undefined {
  const digits = int + frac;
  const point = int.length + Number(exponent);
  if (!Number.isSafeInteger(point) || point > digits.length + MAX_SHIFT || point < -MAX_SHIFT) return undefined;
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

interface Literal {
  /** Where the literal starts and ends in the text. */
  readonly start: number;
  readonly end: number;
  readonly decimal: string;
}

function* exponentLiterals(text: string): Generator<Literal> {
  if (!/[eE]/.test(text)) return;
  for (const m of text.matchAll(EXPONENT_LITERAL)) {
    const [whole, literal = '', int = '', frac = '', exponent = ''] = m;
    const decimal = decimalOf(int, frac, exponent);
    const end = m.index + whole.length;
    if (decimal !== undefined) yield { start: end - literal.length, end, decimal };
  }
}

/** True when an exponent literal of the text, written out, holds what `holds` looks for. */
export function exponentLiteralsHold(text: string, holds: (decimal: string) => boolean): boolean {
  for (const l of exponentLiterals(text)) if (holds(l.decimal)) return true;
  return false;
}

/** The text with every digit of such literals masked; the text itself when there is none. */
export function maskExponentLiterals(text: string, holds: (decimal: string) => boolean): string {
  let out = '';
  let at = 0;
  for (const l of exponentLiterals(text)) {
    if (!holds(l.decimal)) continue;
    out += text.slice(at, l.start) + text.slice(l.start, l.end).replace(/\d/g, '*');
    at = l.end;
  }
  return at === 0 ? text : out + text.slice(at);
}
