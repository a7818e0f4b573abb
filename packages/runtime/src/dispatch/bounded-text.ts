// Text that leaves the dispatcher — refusal messages, DLQ headers, log fields — is bounded: a field
// of a hostile command may be megabytes long, and whatever is echoed of it must stay short.

const ELLIPSIS = '…';

/** The text cut to at most `max` UTF-16 units (never inside a surrogate pair), `…` marking a cut. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/** A value of the input quoted for a message, at most `max` characters of it. */
export const quoted = (value: string, max = 64): string => JSON.stringify(capText(value, max));

const encoder = new TextEncoder();
const lenient = new TextDecoder('utf-8');

/** The longest prefix of the text whose UTF-8 encoding fits `maxBytes`, cut between characters. */
export function utf8Prefix(text: string, maxBytes: number): string {
  // Every UTF-16 unit is at most 3 bytes: a text that short fits without encoding it.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back to the start of a character: continuation bytes are 10xxxxxx.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return lenient.decode(bytes.subarray(0, end));
}

/** Zod issues as one bounded line: each path and message capped, and the list too. */
export function issueList(prefix: string, list: readonly { path: readonly PropertyKey[]; message: string }[], max = 1024): string {
  const one = (i: { path: readonly PropertyKey[]; message: string }): string => {
    const path = i.path.map((p) => capText(String(p), 64)).join('.') || (prefix ? '' : '(root)');
    return `${prefix}${capText(path, 160)}: ${capText(i.message, 200)}`;
  };
  return capText(list.slice(0, 20).map(one).join('; '), max);
}

const CLASS_NAME = /^[A-Za-z_$][\w$]{0,63}$/;

/** The class of a thrown value, for a message: never its text, which may hold input. */
export function errorClass(err: unknown): string {
  try {
    const name: unknown = err instanceof Error ? err.constructor.name : err === null ? 'null' : typeof err;
    return typeof name === 'string' && CLASS_NAME.test(name) ? name : 'Error';
  } catch {
    return 'Error';
  }
}
