// The merchant key held in process, read from a PKCS#8 file (plain or encrypted): the only signer
// that ever holds private key bytes. It cannot become unavailable once loaded.
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { keyId, spkiFingerprint } from '../pem.ts';
import { MERCHANT_SIGNATURE_ALGORITHM, type Signer, type SignerStatus } from '../signer.ts';

export class FileSigner implements Signer {
  readonly kind = 'file' as const;
  readonly algorithm = MERCHANT_SIGNATURE_ALGORITHM;
  readonly publicKey: KeyObject;
  readonly fingerprint: string;
  readonly keyId: string;
  readonly location: string;
  readonly #privateKey: KeyObject;

  /** `location` names where the key came from (a path or `env:NAME`), never the key. */
  constructor(privateKey: KeyObject, location: string) {
    this.#privateKey = privateKey;
    this.publicKey = createPublicKey(privateKey);
    this.fingerprint = spkiFingerprint(this.publicKey);
    this.keyId = keyId(this.publicKey);
    this.location = `file ${location}`;
  }

  sign(data: Uint8Array): Promise<Buffer> {
    return Promise.resolve(sign('RSA-SHA256', data, this.#privateKey));
  }

  status(): SignerStatus {
    return { ready: true };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
