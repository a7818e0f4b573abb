// What the console shows of each kind of record it reads, built from the record alone: a command
// masked, a result or audit event with its signature checked (and customer fields left encrypted), a
// DLQ record without its payload, a notification by a few fields. Records are hostile input: each is
// parsed in a guard, and one that does not parse is shown as unreadable, by position only.
import { AuditEvent, PaymentCommand, ResultEvent, verifyEvent, type PublishedKey } from '@paystream/contracts';
import { maskCards } from '@paystream/core';
import type { RangeRecord } from '@paystream/runtime';
import { isReadable, toEntry } from '../../cli/dlq/dlq-records.ts';
import { maskValue } from './masking.ts';

/** Where a record is; every entry of the console names it. */
export interface Position {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The record's Kafka time. */
  readonly at: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parsed(value: Buffer | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(utf8.decode(value)) as unknown;
  } catch {
    return undefined;
  }
}

export const positionOf = (topic: string, r: RangeRecord): Position => ({
  topic,
  partition: r.partition,
  offset: r.offset,
  at: new Date(Number(r.timestamp)).toISOString(),
});

export function commandSummary(r: RangeRecord): Record<string, unknown> {
  const command = PaymentCommand.safeParse(parsed(r.value));
  if (!command.success) return { unreadable: 'not a valid payment command' };
  return maskValue(command.data) as Record<string, unknown>;
}

/** The signature verdict of an event: whether it holds, under which key id, and why not. */
function verdictOf(event: unknown, keys: readonly PublishedKey[]): Record<string, unknown> {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return { verified: false, keyId: null };
  const verdict = verifyEvent(event as Record<string, unknown>, keys);
  const kid = (event as Record<string, unknown>)['paystreamkid'];
  const keyId = typeof kid === 'string' ? maskCards(kid) : null;
  return verdict.valid ? { verified: true, keyId } : { verified: false, keyId, unverifiedBecause: verdict.reason };
}

export function resultSummary(r: RangeRecord, keys: readonly PublishedKey[]): Record<string, unknown> {
  const json = parsed(r.value);
  const event = ResultEvent.safeParse(json);
  if (!event.success) return { unreadable: 'not a valid result event', ...verdictOf(json, keys) };
  const { id, type, time, data } = event.data;
  const { customer, ...rest } = data as Record<string, unknown>;
  // Customer fields stay as the worker encrypted them: the console never decrypts a result.
  return { id, type, time, ...verdictOf(json, keys), data: { ...(maskValue(rest) as object), ...(customer ? { customer } : {}) } };
}

export function dlqSummary(r: RangeRecord): Record<string, unknown> {
  const entry = toEntry(r.partition, r);
  if (!isReadable(entry)) return { unreadable: entry.unreadable };
  const { payload: _payload, ...clear } = entry.record;
  return maskValue(clear) as Record<string, unknown>;
}

/** The notification fields the timeline shows: the path it came to, where it names the order, what it says happened. */
const NOTIFICATION_FIELDS = [
  'order_id',
  'transaction_id',
  'transaction_status',
  'fraud_status',
  'status_code',
  'originalPartnerReferenceNo',
  'originalReferenceNo',
  'referenceNo',
  'trxId',
  'latestTransactionStatus',
  'transactionStatusDesc',
  'responseCode',
] as const;

export function notificationSummary(r: RangeRecord): Record<string, unknown> {
  const json = parsed(r.value) as { path?: unknown; body?: unknown } | undefined;
  if (typeof json !== 'object' || typeof json.path !== 'string' || typeof json.body !== 'object' || json.body === null)
    return { unreadable: 'not a notification handover' };
  const body = json.body as Record<string, unknown>;
  const shown = Object.fromEntries(NOTIFICATION_FIELDS.flatMap((f) => (typeof body[f] === 'string' ? [[f, body[f]]] : [])));
  return { path: json.path, fields: maskValue(shown) };
}

export function auditSummary(r: RangeRecord, keys: readonly PublishedKey[]): Record<string, unknown> {
  const json = parsed(r.value);
  const event = AuditEvent.safeParse(json);
  if (!event.success) return { unreadable: 'not a valid audit event', ...verdictOf(json, keys) };
  const { id, type, time, data } = event.data;
  return { id, type, time, ...verdictOf(json, keys), ...(maskValue(data) as object) };
}

/** The order an audit event names, if it is a readable one. */
export function auditOrderOf(r: RangeRecord): string | undefined {
  const event = AuditEvent.safeParse(parsed(r.value));
  return event.success ? event.data.data.target.orderId : undefined;
}
