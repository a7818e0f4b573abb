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
