// For downstream services: verify a result event with Paystream's published public keys only, and
// decrypt the fields they hold a key for.
import { createDecipheriv, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalEventBytes } from './canonical.ts';
import { EncryptedField } from './event.ts';

export interface PublishedKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
}

export type EventVerdict = { readonly valid: true; readonly keyId: string } | { readonly valid: false; readonly reason: string };

const cache = new Map<string, KeyObject>();
function keyOf(pem: string): KeyObject {
  let key = cache.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('Paystream event keys are Ed25519');
    cache.set(pem, key);
  }
  return key;
}

/** Checks `paystreamsig` over the canonical event with the key named by `paystreamkid`. */
export function verifyEvent(event: Readonly<Record<string, unknown>>, keys: readonly PublishedKey[]): EventVerdict {
  const kid = event['paystreamkid'];
  const sig = event['paystreamsig'];
  if (typeof kid !== 'string' || typeof sig !== 'string')
    return { valid: false, reason: 'the event carries no paystreamsig / paystreamkid' };
  const published = keys.find((k) => k.keyId === kid);
  if (!published) return { valid: false, reason: `no published key has id ${kid}` };
  const ok = verify(null, canonicalEventBytes(event), keyOf(published.publicKeyPem), Buffer.from(sig, 'base64url'));
  return ok ? { valid: true, keyId: kid } : { valid: false, reason: 'the signature does not match the event' };
}

/** Decrypts one encrypted field; `path` is its JSON path inside `data` (bound in as AAD). */
export function decryptField(field: unknown, path: string, keys: ReadonlyMap<string, Uint8Array>): unknown {
  const enc = EncryptedField.parse(field);
  const key = keys.get(enc.kid);
  if (!key) throw new Error(`no event-encryption key with id ${enc.kid}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(enc.iv, 'base64url'));
  decipher.setAAD(Buffer.from(path, 'utf8'));
  decipher.setAuthTag(Buffer.from(enc.tag, 'base64url'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(enc.ct, 'base64url')), decipher.final()]).toString('utf8')) as unknown;
}

/** What `decryptFields` found in an event's data: each encrypted field by its path, decrypted, and those it holds no key for. */
export interface DecryptedFields {
  readonly values: Readonly<Record<string, unknown>>;
  readonly undecrypted: readonly string[];
}

const isEncrypted = (v: unknown): boolean => EncryptedField.safeParse(v).success;

/**
 * Decrypts every encrypted field inside `data`, wherever it is, by its dotted path (`customer.phone`).
 * A field under a key id the caller has no key for is listed, not thrown: the event stays usable; a
 * field that does not decrypt under its key (tampered, or the wrong path) throws.
 */
export function decryptFields(data: unknown, keys: ReadonlyMap<string, Uint8Array>): DecryptedFields {
  const values: Record<string, unknown> = {};
  const undecrypted: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object') return;
    if (path && isEncrypted(v)) {
      if (keys.has((v as EncryptedField).kid)) values[path] = decryptField(v, path, keys);
      else undecrypted.push(path);
      return;
    }
    if (Array.isArray(v)) return;
    for (const [k, child] of Object.entries(v)) walk(child, path ? `${path}.${k}` : k);
  };
  walk(data, '');
  return { values, undecrypted };
}
