// Loading key material with the checks the BI-SNAP specification demands: merchant keys are RSA of
// at least 2048 bits in PKCS#8 PEM. Every refusal says what is wrong and how to fix it.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';

export const MIN_RSA_BITS = 2048;

/** PEM armour labels, spelled out once (`-----BEGIN <label>-----`). */
const PKCS8 = ['PRIVATE', 'KEY'].join(' ');
const PKCS1 = `RSA ${PKCS8}`;
const ENCRYPTED = `ENCRYPTED ${PKCS8}`;

const REGENERATE = 'generate a new one with: paystream keys generate --out DIR (RSA-2048, PKCS#8)';

/** SHA-256 over the SubjectPublicKeyInfo DER, lowercase hex: the key's fingerprint for revocation lists. */
export function spkiFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** The first 16 hex characters of the fingerprint: the key id used on events. */
export function keyId(key: KeyObject): string {
  return spkiFingerprint(key).slice(0, 16);
}

function checkRsa(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KeyError(codes.PS_ERR_KEY_NOT_RSA, { what, type: key.asymmetricKeyType ?? 'non-asymmetric', fix: REGENERATE });
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new KeyError(codes.PS_ERR_KEY_TOO_SHORT, {
      what,
      problem: `has ${String(bits)} bits; BI-SNAP requires at least ${String(MIN_RSA_BITS)}: ${REGENERATE}`,
    });
  }
}

/** The passphrase of an encrypted key file, read only when the file is encrypted. */
export interface Passphrase {
  /** The setting that names it, for messages: `merchants.default.privateKeyPassphraseFile`. */
  readonly field: string;
  readonly read: (() => string) | undefined;
}

/** True for an encrypted PKCS#8 PEM block (the ENCRYPTED armour label). */
export function isEncryptedPem(text: string): boolean {
  return text.includes(`-----BEGIN ${ENCRYPTED}-----`);
}

/** Decrypts an encrypted PKCS#8 PEM; a wrong passphrase is refused without ever being shown. */
export function decryptPrivateKey(text: string, what: string, passphrase: Passphrase): KeyObject {
  if (passphrase.read === undefined) throw new KeyError(codes.PS_ERR_KEY_ENCRYPTED, { what, field: passphrase.field });
  try {
    return createPrivateKey({ key: text, format: 'pem', passphrase: passphrase.read() });
  } catch (err) {
    if (KeyError.is(err)) throw err;
    throw new KeyError(codes.PS_ERR_KEY_PASSPHRASE, { what, field: passphrase.field });
  }
}

/** A merchant private key: PKCS#8 PEM, plain or encrypted (then with its passphrase), RSA ≥ 2048. */
export function loadMerchantPrivateKey(pem: string | Buffer, what = 'The merchant private key', passphrase?: Passphrase): KeyObject {
  const text = pem.toString();
  if (text.includes(`BEGIN ${PKCS1}`)) {
    throw new KeyError(codes.PS_ERR_KEY_PKCS1, { what });
  }
  if (isEncryptedPem(text)) {
    const key = decryptPrivateKey(text, what, passphrase ?? { field: 'a passphrase', read: undefined });
    checkRsa(key, what);
    return key;
  }
  if (!text.includes(`-----BEGIN ${PKCS8}-----`)) {
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what, problem: `is not a PEM "BEGIN ${PKCS8}" block: ${REGENERATE}` });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, {
      what,
      problem: `could not be parsed as PKCS#8 PEM (damaged or truncated): ${REGENERATE}`,
    });
  }
  checkRsa(key, what);
  return key;
}

/** An RSA public key in SPKI PEM (`BEGIN PUBLIC KEY`), ≥ 2048 bits: Midtrans' or the merchant's. */
export function loadRsaPublicKey(pem: string | Buffer, what = 'The public key'): KeyObject {
  const text = pem.toString();
  if (!text.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what, problem: 'is not a PEM "BEGIN PUBLIC KEY" block' });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what, problem: 'could not be parsed as SPKI PEM (damaged or truncated)' });
  }
  checkRsa(key, what);
  return key;
}
