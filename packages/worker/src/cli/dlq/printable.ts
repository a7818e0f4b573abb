// Whatever a DLQ record holds — its message, origin, Kafka key, the refused command — was written by
// whoever could write to the topic. Printed raw, escape sequences would drive the operator's terminal
// (rewrite lines, hide text, set the title) and bidi overrides would show text in another order than
// it is; every printed field goes through `printable`, which escapes them as visible `\uXXXX`.

/** C0, DEL, C1, the bidi marks, embeddings, overrides and isolates, and the Unicode line separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A JSON value with every string in it, keys included, made printable (for --json output). */
export function printableJson(value: unknown): unknown {
  if (typeof value === 'string') return printable(value);
  if (Array.isArray(value)) return value.map(printableJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [printable(k), printableJson(v)]));
  return value;
}
