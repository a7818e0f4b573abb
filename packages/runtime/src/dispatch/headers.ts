// What a command's Kafka headers may carry on into its result: a W3C `traceparent` and a short
// `correlation-id`, each only in the form the standard or the contract allows. Anything else is
// attacker data — it is dropped, never echoed into events, logs or metric labels.
import { randomBytes } from 'node:crypto';
import { CommandHeaders } from '@paystream/contracts';
import { containsCardNumber } from '@paystream/core';
import type { IHeaders } from 'kafkajs';

export const TRACEPARENT = 'traceparent';
export const CORRELATION_ID = 'correlation-id';
/** Authenticated commands: the Ed25519 signature over the value's exact bytes (base64), and the id of the key that made it. */
export const COMMAND_SIGNATURE = CommandHeaders.signature;
export const COMMAND_KEY_ID = CommandHeaders.keyId;

/** The upstream context a command brings, as far as it may be passed on. */
export interface TraceContext {
  readonly traceparent?: string;
  readonly correlationId?: string;
}

const W3C_TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const MAX_CORRELATION_ID = 128;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** The single text value of a header; undefined when absent or given more than once (ambiguous). */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || Array.isArray(value)) return undefined;
  return value.toString();
}

/**
 * True when a header name or any of its values holds a card number. A traceparent in W3C form is
 * exempt: its ids are random hex, about 1 in 4,000 of which hold a Luhn-valid card-like run, and
 * `traceContext` never passes such a one on.
 */
export function headersHoldCard(headers: IHeaders | undefined): boolean {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (containsCardNumber(name)) return true;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === undefined) continue;
      const text = v.toString();
      if (!(name === TRACEPARENT && validTraceparent(text)) && containsCardNumber(text)) return true;
    }
  }
  return false;
}

/** A traceparent of version 00 with a trace id and a parent id that are not all zero. */
export function validTraceparent(value: string): boolean {
  const m = W3C_TRACEPARENT.exec(value);
  return m !== null && !/^0+$/.test(m[1] ?? '') && !/^0+$/.test(m[2] ?? '');
}

/** A new trace, for a command whose traceparent could not be used; never one that reads as a card. */
export function freshTraceparent(): string {
  for (;;) {
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
    if (!containsCardNumber(traceparent)) return traceparent;
  }
}

/** A correlation id of at most 128 printable ASCII characters that holds no card number. */
export function validCorrelationId(value: string): boolean {
  return value.length <= MAX_CORRELATION_ID && PRINTABLE_ASCII.test(value) && !containsCardNumber(value);
}

/**
 * The trace context to pass on: a valid traceparent as sent, an invalid one (or one whose ids read
 * as a card) replaced by a fresh trace (W3C: a receiver that cannot parse it restarts the trace), a
 * valid correlation id as sent.
 */
export function traceContext(headers: IHeaders | undefined): TraceContext {
  const sentTrace = headers?.[TRACEPARENT] === undefined ? undefined : (headerText(headers, TRACEPARENT) ?? '');
  const usable = sentTrace !== undefined && validTraceparent(sentTrace) && !containsCardNumber(sentTrace);
  const traceparent = sentTrace === undefined ? undefined : usable ? sentTrace : freshTraceparent();
  const sentId = headerText(headers, CORRELATION_ID);
  const correlationId = sentId !== undefined && validCorrelationId(sentId) ? sentId : undefined;
  return { ...(traceparent ? { traceparent } : {}), ...(correlationId ? { correlationId } : {}) };
}

/** The Kafka headers of a record written for the command: its content type and the trace context. */
export function resultHeaders(trace: TraceContext): Record<string, string> {
  return {
    'content-type': 'application/cloudevents+json',
    ...(trace.traceparent ? { [TRACEPARENT]: trace.traceparent } : {}),
    ...(trace.correlationId ? { [CORRELATION_ID]: trace.correlationId } : {}),
  };
}
