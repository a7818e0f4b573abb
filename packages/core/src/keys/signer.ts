// A merchant key that signs without showing itself: the B2B access-token request is signed through
// a Signer, so the key may live in a file, an HSM (PKCS#11) or a cloud KMS, and no code outside the
// file signer ever holds private key bytes.
import { randomBytes, verify, type KeyObject } from 'node:crypto';

/** The only signature a merchant key makes: SHA256withRSA (RSASSA-PKCS1-v1_5 over SHA-256). */
export const MERCHANT_SIGNATURE_ALGORITHM = 'RSASSA-PKCS1-v1_5-SHA256';

/** Where a signer's key lives. */
export type SignerKind = 'file' | 'pkcs11' | 'kms';

/** Whether a signer can sign now; the reason names the failure, never a PIN or passphrase. */
export type SignerStatus = { readonly ready: true } | { readonly ready: false; readonly reason: string };

export interface Signer {
  readonly kind: SignerKind;
  readonly algorithm: typeof MERCHANT_SIGNATURE_ALGORITHM;
  /** The public key, RSA ≥ 2048, as registered with Midtrans. */
  readonly publicKey: KeyObject;
  /** SHA-256 of the SPKI DER, lowercase hex: what revocation lists name. */
  readonly fingerprint: string;
  /** The first 16 hex characters of the fingerprint. */
  readonly keyId: string;
  /** Where the key lives, for operators: a file path, a token and key label, a KMS key id. No secret. */
  readonly location: string;
  /** The SHA256withRSA signature of `data`; rejects with a KeyError when the key cannot sign now. */
  sign(data: Uint8Array): Promise<Buffer>;
  /** The last known state: unready after a failed sign or open, ready again after one succeeds. */
  status(): SignerStatus;
  /** Releases sessions and clients; a closed signer refuses to sign. */
  close(): Promise<void>;
}

/** Signs random bytes and verifies the signature with the public key: whether the key really signs now. */
export async function probeSigner(signer: Signer): Promise<SignerStatus> {
  const probe = randomBytes(32);
  try {
    const signature = await signer.sign(probe);
    if (verify('RSA-SHA256', probe, signer.publicKey, signature)) return { ready: true };
    return { ready: false, reason: 'a probe signature did not verify with the configured public key' };
  } catch (err) {
    return { ready: false, reason: err instanceof Error ? err.message : 'the probe signature failed' };
  }
}
