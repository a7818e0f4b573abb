// What the console shows of a command or a DLQ payload: card-like numbers masked wherever they are
// (strings, numbers, keys), and the customer's contact fields — and the fields of `details` that name
// a person or a way to reach one — shown only partly, enough to recognise, never enough to contact.
import { maskCards, maskedPayload } from '@paystream/core';

/** Fields of a command that hold a person's name or a way to reach them, wherever they are. */
const PERSONAL = /(phone|email|mobile|msisdn|firstname|lastname|fullname|customername|address)/i;

/** `jane@example.com` → `j***@example.com`; `+6281234567890` → `***7890`; `Jane` → `J***`. */
export function maskPersonal(value: string): string {
  const at = value.lastIndexOf('@');
  if (at > 0) return `${value.slice(0, 1)}***${value.slice(at)}`;
  const digits = value.replace(/\D/g, '');
  if (digits.length >= 6) return `***${digits.slice(-4)}`;
  return value.length > 0 ? `${value.slice(0, 1)}***` : value;
}

const MAX_DEPTH = 32;
/** A UUID's last group is twelve digits that masking could take for a card: ids are shown as they are. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The value with every card-like number masked and every personal field partly hidden; deeper than MAX_DEPTH is dropped. */
export function maskValue(value: unknown, key = '', depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[nested too deeply]';
  if (typeof value === 'string' && UUID.test(value)) return value;
  if (typeof value === 'string') return PERSONAL.test(key) ? maskPersonal(maskCards(value)) : maskCards(value);
  if (typeof value === 'number') {
    const masked = maskCards(String(value));
    return masked === String(value) ? value : masked;
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(v, key, depth + 1));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskCards(k), maskValue(v, k, depth + 1)]));
  return value;
}

/** A command's (or any payload's) text as shown: its JSON masked as above, or, when it is no JSON, the text with cards masked. */
export function maskedText(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return maskedPayload(text, undefined);
  }
  return maskValue(parsed);
}
