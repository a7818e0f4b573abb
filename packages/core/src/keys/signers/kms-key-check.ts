// What a KMS key must be before it signs for a merchant: the very key whose public half is
// configured (and registered at Midtrans), RSA of at least 2048 bits, for signing with
// RSASSA-PKCS1-v1_5 over SHA-256. Shared by the KMS signer and KMS key generation.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { GetPublicKeyCommandOutput } from '@aws-sdk/client-kms';
import { MIN_RSA_BITS, spkiFingerprint } from '../pem.ts';

/** KMS's name for SHA256withRSA, the only signature a merchant key makes. */
export const KMS_SIGNING_ALGORITHM = 'RSASSA_PKCS1_V1_5_SHA_256';

/** A KMS answer that rules the key out; `reason` is in operator words. */
export class KmsKeyProblem extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'KmsKeyProblem';
    this.reason = reason;
  }
}

/** The KMS key is another key than the configured one. */
export class KmsKeyMismatch extends Error {
  readonly actual: string;
  constructor(actual: string) {
    super(`the KMS key has fingerprint ${actual}`);
    this.name = 'KmsKeyMismatch';
    this.actual = actual;
  }
}

/** The public key of a GetPublicKey answer. */
export function kmsPublicKey(answer: GetPublicKeyCommandOutput): KeyObject {
  if (answer.PublicKey === undefined) throw new KmsKeyProblem('KMS returned no public key');
  try {
    return createPublicKey({ key: Buffer.from(answer.PublicKey), format: 'der', type: 'spki' });
  } catch {
    throw new KmsKeyProblem('KMS returned a public key that is not SPKI DER');
  }
}

function rsaBits(keySpec: string | undefined): number {
  const match = /^RSA_(\d+)$/.exec(keySpec ?? '');
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** Throws KmsKeyMismatch or KmsKeyProblem unless the answer describes the configured signing key. */
export function checkKmsKey(answer: GetPublicKeyCommandOutput, expectedFingerprint: string): void {
  const actual = spkiFingerprint(kmsPublicKey(answer));
  if (actual !== expectedFingerprint) throw new KmsKeyMismatch(actual);
  const spec = answer.KeySpec ?? 'of an unknown spec';
  if (rsaBits(answer.KeySpec) < MIN_RSA_BITS)
    throw new KmsKeyProblem(`the key is ${spec}; BI-SNAP needs RSA of at least ${String(MIN_RSA_BITS)} bits`);
  if (answer.KeyUsage !== 'SIGN_VERIFY') throw new KmsKeyProblem(`the key's usage is ${answer.KeyUsage ?? 'unknown'}, not SIGN_VERIFY`);
  const algorithms = answer.SigningAlgorithms ?? [];
  if (!algorithms.includes(KMS_SIGNING_ALGORITHM))
    throw new KmsKeyProblem(`the key does not sign with ${KMS_SIGNING_ALGORITHM} (it offers ${algorithms.join(', ') || 'none'})`);
}
