// Downstream trust in one event: its signature under a trusted key (several during a rotation's
// overlap, each optionally retired from a time on), then its shape under the contract this client
// knows; and the decryption of its encrypted fields.
import { createHash } from 'node:crypto';
import {
  decryptFields as decryptData,
  ResultEvent,
  verifyEvent as verifySignature,
  type DecryptedFields,
  type PublishedKey,
} from '@paystream/contracts';

export interface TrustedKey extends PublishedKey {
  /** The end of this key's overlap: an event it signed with a later `time` is refused. */
  readonly notAfter?: Date | string;
}

/** An event-encryption key: raw 32 bytes, or their standard base64; its id is derived when absent. */
export interface EncryptionKey {
  readonly key: Uint8Array | string;
  readonly kid?: string;
}

export type EventVerdict =
  /** Signed by a trusted key and of the contract this client knows. */
  | { readonly valid: true; readonly known: true; readonly keyId: string; readonly event: ResultEvent }
  /** Signed by a trusted key, but of a newer contract (an unknown type or field): skip it, never fail on it. */
  | {
      readonly valid: true;
      readonly known: false;
      readonly keyId: string;
      readonly raw: Readonly<Record<string, unknown>>;
      readonly problem: string;
    }
  | { readonly valid: false; readonly reason: string };

function parsed(value: unknown): Record<string, unknown> | undefined {
  try {
    const v: unknown = typeof value === 'string' || Buffer.isBuffer(value) ? JSON.parse(value.toString()) : value;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function retired(event: Record<string, unknown>, key: TrustedKey | undefined): string | undefined {
  if (key?.notAfter === undefined) return undefined;
  const end = new Date(key.notAfter).getTime();
  const time = typeof event['time'] === 'string' ? Date.parse(event['time']) : NaN;
  return Number.isNaN(time) || time > end ? `key ${key.keyId} was retired at ${new Date(end).toISOString()}` : undefined;
}

/** Verifies a result event (an object, or its JSON text or bytes) against the trusted keys, then reads it under the contract. */
export function verifyEvent(value: unknown, trusted: readonly TrustedKey[]): EventVerdict {
  const event = parsed(value);
  if (!event) return { valid: false, reason: 'the value is not a JSON object' };
  const verdict = verifySignature(event, trusted);
  if (!verdict.valid) return verdict;
  const end = retired(
    event,
    trusted.find((k) => k.keyId === verdict.keyId),
  );
  if (end) return { valid: false, reason: end };
  const read = ResultEvent.safeParse(event);
  if (read.success) return { valid: true, known: true, keyId: verdict.keyId, event: read.data };
  const problem = read.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return { valid: true, known: false, keyId: verdict.keyId, raw: event, problem };
}

const keyBytes = (k: EncryptionKey): Buffer => (typeof k.key === 'string' ? Buffer.from(k.key, 'base64') : Buffer.from(k.key));

/** The id Paystream names an event-encryption key by. */
export const encryptionKeyId = (key: Uint8Array): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** Decrypts every encrypted field of the event's data, by its path (`customer.phone`); fields under keys not given are listed. */
export function decryptFields(event: { readonly data: unknown }, keys: readonly EncryptionKey[]): DecryptedFields {
  const byId = new Map(keys.map((k) => [k.kid ?? encryptionKeyId(keyBytes(k)), new Uint8Array(keyBytes(k))]));
  return decryptData(event.data, byId);
}
