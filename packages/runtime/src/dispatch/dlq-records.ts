// The records a refusal writes: the DLQ record on `<command topic>.dlq` (contracts' DlqRecord: the
// command masked, cut at 64 KiB and encrypted, since it carries customer PII) and, when the order
// is known, the signed rejected event on the results topic. Every part is bounded, so the record
// can always be produced, whatever size and shape the refused command had.
import { DLQ_MAX_PAYLOAD_BYTES, DLQ_PAYLOAD_PATH, DlqHeaders, topics, type DlqRecord } from '@paystream/contracts';
import { maskCards, maskedPayload, maskEveryDigit } from '@paystream/core';
import type { IHeaders } from 'kafkajs';
import { z } from 'zod';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import type { OutMessage } from '../kafka/publisher.ts';
import { capText, utf8Prefix } from './bounded-text.ts';
import { rejectedEvent, type EventCrypto } from './events.ts';
import { headerText, resultHeaders, type TraceContext } from './headers.ts';
import type { Refusal } from './outcome.ts';

/** What a DLQ record keeps of the command, before encryption. */
export interface KeptPayload {
  readonly text: string;
  /** The size of the value as received. */
  readonly bytes: number;
  /** The text is not the bytes that arrived (masked, or not UTF-8): never replayed. */
  readonly masked: boolean;
  readonly truncated: boolean;
}

const MAX_MESSAGE = 1024;
const MAX_KEY = 256;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const IsoTime = z.iso.datetime({ offset: true });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function decode(bytes: Uint8Array): { text: string; exact: boolean } {
  try {
    return { text: strictUtf8.decode(bytes), exact: true };
  } catch {
    return { text: lenientUtf8.decode(bytes), exact: false };
  }
}

/**
 * The command as a DLQ record keeps it: masked like any refused command, and at most 64 KiB of
 * UTF-8. A longer command keeps its first 64 KiB with every digit masked, since a card cut at the
 * end could no longer be recognised as one.
 */
export function keptPayload(value: Buffer | null): KeptPayload {
  if (!value) return { text: '', bytes: 0, masked: false, truncated: false };
  if (value.length > DLQ_MAX_PAYLOAD_BYTES) {
    const text = utf8Prefix(maskEveryDigit(lenientUtf8.decode(value.subarray(0, DLQ_MAX_PAYLOAD_BYTES))), DLQ_MAX_PAYLOAD_BYTES);
    return { text, bytes: value.length, masked: true, truncated: true };
  }
  const { text: raw, exact } = decode(value);
  const masked = maskedPayload(raw, parseJson(raw));
  const text = utf8Prefix(masked, DLQ_MAX_PAYLOAD_BYTES);
  return { text, bytes: value.length, masked: !exact || masked !== raw, truncated: text !== masked };
}

/** The Kafka key the command arrived under, masked and bounded, for a record that names no order. */
function keptKey(key: Buffer | null): string | null {
  if (!key) return null;
  const text = lenientUtf8.decode(key.length > MAX_KEY * 4 ? key.subarray(0, MAX_KEY * 4) : key);
  return text.length > MAX_KEY ? capText(maskEveryDigit(text.slice(0, MAX_KEY)), MAX_KEY) : maskCards(text);
}

/** How often the command was refused before (a replayed DLQ record says so) and since when. */
function history(headers: IHeaders | undefined): { attempts: number; firstSeen: string } {
  const attempts = headerText(headers, DlqHeaders.attempts);
  const firstSeen = headerText(headers, DlqHeaders.firstSeen);
  return {
    attempts: (attempts && /^\d{1,6}$/.test(attempts) ? Number(attempts) : 0) + 1,
    firstSeen: firstSeen && firstSeen.length <= 40 && IsoTime.safeParse(firstSeen).success ? firstSeen : new Date().toISOString(),
  };
}

export interface RefusalTarget {
  readonly crypto: EventCrypto;
  readonly resultsTopic?: string | undefined;
  readonly trace: TraceContext;
}

/** The DLQ record of a refused command, and the rejected event when it names its order. */
export function refusalRecords(m: ConsumedMessage, refusal: Refusal, target: RefusalTarget): OutMessage[] {
  const message = capText(refusal.message, MAX_MESSAGE);
  const kept = keptPayload(m.message.value);
  const { attempts, firstSeen } = history(m.message.headers);
  const record: DlqRecord = {
    code: refusal.code,
    message,
    originalTopic: m.topic,
    originalPartition: m.partition,
    originalOffset: m.message.offset,
    attempts,
    firstSeen,
    payload: target.crypto.cipher.encrypt(DLQ_PAYLOAD_PATH, kept.text),
    payloadBytes: kept.bytes,
    payloadMasked: kept.masked,
    payloadTruncated: kept.truncated,
  };
  const headers: Record<string, string> = {
    [DlqHeaders.code]: refusal.code,
    [DlqHeaders.message]: message,
    [DlqHeaders.topic]: m.topic,
    [DlqHeaders.partition]: String(m.partition),
    [DlqHeaders.offset]: m.message.offset,
    [DlqHeaders.attempts]: String(attempts),
    [DlqHeaders.firstSeen]: firstSeen,
  };
  const key = refusal.orderId ?? keptKey(m.message.key);
  const records: OutMessage[] = [{ topic: `${m.topic}.dlq`, key, value: JSON.stringify(record), headers }];
  if (refusal.orderId) {
    const where = { topic: m.topic, partition: m.partition, offset: m.message.offset };
    const event = rejectedEvent({ ...refusal, message, ...where }, target.crypto, target.trace.traceparent);
    records.push({
      topic: target.resultsTopic ?? topics.results,
      key: refusal.orderId,
      value: JSON.stringify(event),
      headers: resultHeaders(target.trace),
    });
  }
  return records;
}
