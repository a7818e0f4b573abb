// What a consumed record holds before it is a command: its text (or why there is none to read, card
// data in its key or headers found first), the key it arrived under, and the identifiers it names
// that a refusal may repeat — only in their valid form, and none holding a card.
import { DLQ_MAX_PAYLOAD_BYTES, OrderId } from '@paystream/contracts';
import { codes, containsCardNumber } from '@paystream/core';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import { headersHoldCard } from './headers.ts';
import { refusal, type Refusal } from './outcome.ts';

export type Named = Omit<Refusal, 'code' | 'message'>;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_NAMED_METHOD = 64;

/** The refusal of a command carrying a card, naming what of it can be named safely. */
export const cardRefusal = (known: Named = {}): Refusal => refusal(codes.PS_ERR_COMMAND_CARD_DATA, {}, known);

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const field = (v: unknown, k: string): string | undefined => {
  const x = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof x === 'string' ? x : undefined;
};

/** The identifiers of a command that may be repeated: only in their valid form, and none holding a card. */
export function named(json: unknown): Named {
  const orderId = field(json, 'orderId');
  const commandId = field(json, 'commandId');
  const method = field(json, 'method');
  const safe = (v: string | undefined, valid: (v: string) => boolean): v is string => v !== undefined && valid(v) && !containsCardNumber(v);
  return {
    ...(safe(orderId, (v) => OrderId.safeParse(v).success) ? { orderId } : {}),
    ...(safe(commandId, (v) => UUID.test(v)) ? { commandId } : {}),
    ...(safe(method, (v) => v.length <= MAX_NAMED_METHOD && KEBAB.test(v)) ? { method } : {}),
  };
}

/** The identifiers a readable value names, so that a refusal for its key or headers still reaches its order. */
function namedIn(value: Buffer | null): Named {
  if (!value || value.length > DLQ_MAX_PAYLOAD_BYTES) return {};
  try {
    return named(parseJson(strictUtf8.decode(value)));
  } catch {
    return {};
  }
}

/** The command's text, or why there is none to read. Card data in the key or headers is found first. */
export function readValue(m: ConsumedMessage): Refusal | { text: string } {
  const { key, value, headers } = m.message;
  if ((key && containsCardNumber(lenientUtf8.decode(key))) || headersHoldCard(headers)) return cardRefusal(namedIn(value));
  if (!value) return refusal(codes.PS_ERR_COMMAND_MALFORMED, { problem: 'has no value' });
  if (value.length > DLQ_MAX_PAYLOAD_BYTES)
    return refusal(codes.PS_ERR_COMMAND_TOO_LARGE, { size: value.length, limit: DLQ_MAX_PAYLOAD_BYTES });
  try {
    return { text: strictUtf8.decode(value) };
  } catch {
    return containsCardNumber(lenientUtf8.decode(value))
      ? cardRefusal()
      : refusal(codes.PS_ERR_COMMAND_MALFORMED, { problem: 'is not UTF-8' });
  }
}

/** The key the command arrived under, when it is UTF-8. */
export function keyText(m: ConsumedMessage): string | undefined {
  try {
    return m.message.key ? strictUtf8.decode(m.message.key) : undefined;
  } catch {
    return undefined;
  }
}
