// Crypto for result events (format owned by @paystream/contracts): Ed25519 signatures with key ids,
// and AES-256-GCM field encryption with key ids. Both rotate: the newest key signs and encrypts,
// older keys stay published or usable for decryption during the overlap.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';
import { keyId } from '../keys/pem.ts';

const NO_SIGNING_KEY = { field: 'events.signingKeyFiles', problem: 'no event-signing key is configured' };

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

export interface EventSignature {
  readonly signature: string;
  readonly keyId: string;
}

export class EventSigner {
  #keys: { keyId: string; privateKey: KeyObject; publicKeyPem: string }[] = [];

  /** `privateKeysPem`: newest first; the first signs, every one stays published for verification. */
  constructor(privateKeysPem: readonly string[]) {
    this.rotate(privateKeysPem);
  }

  static generate(): { signer: EventSigner; privateKeyPem: string } {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    return { signer: new EventSigner([pem]), privateKeyPem: pem };
  }

  rotate(privateKeysPem: readonly string[]): void {
    if (privateKeysPem.length === 0) throw new KeyError(codes.PS_ERR_KEY_MISSING, NO_SIGNING_KEY);
    this.#keys = privateKeysPem.map((pem, i) => {
      const privateKey = createPrivateKey(pem);
      if (privateKey.asymmetricKeyType !== 'ed25519') throw new KeyError(codes.PS_ERR_KEY_NOT_ED25519, { index: i + 1 });
      const publicKey = createPublicKey(privateKey);
      return { keyId: keyId(publicKey), privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    });
  }

  /** The id of the key `sign` uses now. */
  get keyId(): string {
    return this.#keys[0]?.keyId ?? '';
  }

  sign(bytes: Uint8Array): EventSignature {
    const current = this.#keys[0];
    if (!current) throw new KeyError(codes.PS_ERR_KEY_MISSING, NO_SIGNING_KEY);
    return { signature: b64url(sign(null, bytes, current.privateKey)), keyId: current.keyId };
  }

  publicKeys(): { keyId: string; publicKeyPem: string }[] {
    return this.#keys.map(({ keyId: id, publicKeyPem }) => ({ keyId: id, publicKeyPem }));
  }
}

export interface EncryptedField {
  readonly alg: 'A256GCM';
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

export function aesKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** IVs cut from one CSPRNG fill: a randomBytes call per field costs more than the field's encryption. */
const IVS_PER_FILL = 256;

export class FieldCipher {
  #keys = new Map<string, Uint8Array>();
  #current = '';
  #ivs = Buffer.alloc(0);
  #nextIv = 0;

  /** `keys`: raw 32-byte AES keys, newest first; the first encrypts, all decrypt. */
  constructor(keys: readonly Uint8Array[]) {
    this.rotate(keys);
  }

  rotate(keys: readonly Uint8Array[]): void {
    if (keys.length === 0)
      throw new KeyError(codes.PS_ERR_KEY_MISSING, {
        field: 'events.encryptionKeyFiles',
        problem: 'no event-encryption key is configured',
      });
    for (const k of keys)
      if (k.length !== 32)
        throw new KeyError(codes.PS_ERR_KEY_TOO_SHORT, { what: 'an event-encryption key', problem: 'is not 32 bytes (AES-256)' });
    this.#keys = new Map(keys.map((k) => [aesKeyId(k), k]));
    this.#current = aesKeyId(keys[0] as Uint8Array);
  }

  /** `path` is the field's JSON path inside the event's `data`; it is bound in as AAD. */
  encrypt(path: string, value: unknown): EncryptedField {
    const key = this.#keys.get(this.#current) as Uint8Array;
    const iv = this.#iv();
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(path, 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return { alg: 'A256GCM', kid: this.#current, iv: b64url(iv), ct: b64url(ct), tag: b64url(cipher.getAuthTag()) };
  }

  /** A fresh random 96-bit IV; each is handed out once. */
  #iv(): Buffer {
    if (this.#nextIv + 12 > this.#ivs.length) {
      this.#ivs = randomBytes(12 * IVS_PER_FILL);
      this.#nextIv = 0;
    }
    this.#nextIv += 12;
    return this.#ivs.subarray(this.#nextIv - 12, this.#nextIv);
  }

  decrypt(path: string, field: EncryptedField): unknown {
    const key = this.#keys.get(field.kid);
    if (!key) throw new KeyError(codes.PS_ERR_KEY_UNKNOWN_KID, { kid: field.kid });
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(field.iv, 'base64url'));
    decipher.setAAD(Buffer.from(path, 'utf8'));
    decipher.setAuthTag(Buffer.from(field.tag, 'base64url'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(field.ct, 'base64url')), decipher.final()]).toString('utf8')) as unknown;
  }
}
