// A key reference file names a merchant key that lives in an HSM or a KMS, and carries the public key
// registered at Midtrans: the fingerprint is known (and revocable) even while the token is away, and
// a reference that points at another key is caught at the first signature. Rotating the key means
// replacing this file, exactly as with a PEM file.
import type { KeyObject } from 'node:crypto';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';
import { loadRsaPublicKey } from './pem.ts';

/** A key in a PKCS#11 token (RFC 7512 URI: `pkcs11:token=…;object=…;id=%01`). */
export interface Pkcs11KeyReference {
  readonly store: 'pkcs11';
  readonly tokenLabel?: string;
  readonly slot?: number;
  readonly keyLabel?: string;
  /** CKA_ID, lowercase hex. */
  readonly keyId?: string;
  readonly publicKey: KeyObject;
}

/** A key in AWS KMS: a key id, key ARN, alias name or alias ARN. */
export interface KmsKeyReference {
  readonly store: 'aws-kms';
  readonly keyId: string;
  readonly publicKey: KeyObject;
}

export type KeyReference = Pkcs11KeyReference | KmsKeyReference;

const PKCS11 = 'pkcs11:';
/**
 * Attributes tools such as p11tool print beside the label and id: accepted and not used to choose,
 * since the public key in the file already proves the key found is the right one.
 */
const DESCRIPTIVE = new Set([
  'type',
  'manufacturer',
  'model',
  'serial',
  'slot-description',
  'slot-manufacturer',
  'library-manufacturer',
  'library-description',
  'library-version',
]);
const KMS = 'aws-kms:';

/** True when the text is a key reference rather than a PEM private key. */
export function isKeyReference(text: string): boolean {
  const first = text.trimStart();
  return first.startsWith(PKCS11) || first.startsWith(KMS);
}

function bad(what: string, problem: string): KeyError {
  return new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what, problem });
}

/** RFC 7512 values are percent-encoded bytes: an id is binary, a label UTF-8. */
function decodeBytes(value: string, what: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '%') {
      bytes.push(...Buffer.from(value[i] ?? '', 'utf8'));
      continue;
    }
    const hex = value.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw bad(what, 'has a malformed %-escape in its pkcs11: URI');
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes);
}

function pkcs11Attributes(uri: string, what: string): Omit<Pkcs11KeyReference, 'store' | 'publicKey'> {
  if (uri.includes('?')) throw bad(what, 'has query attributes in its pkcs11: URI; the PIN comes from keyStores.pkcs11.pinFile only');
  const found: { tokenLabel?: string; slot?: number; keyLabel?: string; keyId?: string } = {};
  for (const part of uri
    .slice(PKCS11.length)
    .split(';')
    .filter((p) => p !== '')) {
    const [name = '', value = ''] = part.split('=', 2);
    if (name === 'token') found.tokenLabel = decodeBytes(value, what).toString('utf8');
    else if (name === 'object') found.keyLabel = decodeBytes(value, what).toString('utf8');
    else if (name === 'id') found.keyId = decodeBytes(value, what).toString('hex');
    else if (name === 'slot-id' && /^\d+$/.test(value)) found.slot = Number(value);
    else if (!DESCRIPTIVE.has(name)) throw bad(what, `has an unsupported pkcs11: URI attribute "${name}" (token, slot-id, object, id)`);
  }
  if (found.tokenLabel === undefined && found.slot === undefined) throw bad(what, 'names no token (token= or slot-id=)');
  if (found.keyLabel === undefined && found.keyId === undefined) throw bad(what, 'names no key (object= or id=)');
  return found;
}

/** Reads a key reference file: the URI line, then the public key in SPKI PEM. */
export function parseKeyReference(text: string, what: string): KeyReference {
  const [firstLine = ''] = text.trimStart().split('\n', 1);
  const uri = firstLine.trim();
  const pemStart = text.indexOf('-----BEGIN PUBLIC KEY-----');
  if (pemStart < 0) throw bad(what, 'is a key reference without its public key (a "BEGIN PUBLIC KEY" block after the first line)');
  const publicKey = loadRsaPublicKey(text.slice(pemStart), `${what} (its public key)`);
  if (uri.startsWith(KMS)) {
    const keyId = uri.slice(KMS.length);
    if (!/^[A-Za-z0-9:/_-]+$/.test(keyId)) throw bad(what, 'names no valid KMS key after "aws-kms:"');
    return { store: 'aws-kms', keyId, publicKey };
  }
  return { store: 'pkcs11', ...pkcs11Attributes(uri, what), publicKey };
}

/** The pkcs11: URI of a key, percent-encoding what RFC 7512 requires. */
export function pkcs11Uri(ref: { tokenLabel?: string; slot?: number; keyLabel?: string; keyId?: string }): string {
  const parts: string[] = [];
  if (ref.tokenLabel !== undefined) parts.push(`token=${encodeURIComponent(ref.tokenLabel)}`);
  if (ref.slot !== undefined) parts.push(`slot-id=${String(ref.slot)}`);
  if (ref.keyLabel !== undefined) parts.push(`object=${encodeURIComponent(ref.keyLabel)}`);
  if (ref.keyId !== undefined) parts.push(`id=${ref.keyId.replace(/(..)/g, '%$1')}`);
  return `${PKCS11}${parts.join(';')}`;
}

/** The text of a key reference file: where the key lives, then its public key. */
export function formatKeyReference(uri: string, publicKey: KeyObject): string {
  return `${uri}\n${publicKey.export({ type: 'spki', format: 'pem' }).toString()}`;
}

/** `aws-kms:` followed by the key id, ARN or alias. */
export function kmsUri(keyId: string): string {
  return `${KMS}${keyId}`;
}
