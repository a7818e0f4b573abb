// Creating a merchant key inside an HSM or a KMS, for `paystream keys generate --pkcs11|--kms`: the
// key never leaves the store; what comes back is its public key and the text of the key reference
// file the configuration names. The store's binding is loaded only when one is used.
import type { KeyObject } from 'node:crypto';
import { formatKeyReference, kmsUri, pkcs11Uri } from '../key-reference.ts';
import type { GenerateKmsKeyOptions } from './kms-keygen.ts';
import type { GeneratePkcs11KeyOptions } from './pkcs11-generate.ts';
import { loadPkcs11 } from './pkcs11-loading.ts';

/** Where and how to make the key in an HSM (the types only: the binding loads when one is made). */
export type HsmKeySpec = GeneratePkcs11KeyOptions;
export type KmsKeySpec = GenerateKmsKeyOptions;

export interface CreatedKey {
  readonly publicKey: KeyObject;
  /** The content of the key reference file: where the key lives, then its public key. */
  readonly reference: string;
}

/** Generates a non-extractable RSA key pair in a PKCS#11 token. */
export async function generateHsmKey(spec: HsmKeySpec): Promise<CreatedKey> {
  const { generatePkcs11Key } = await loadPkcs11();
  const created = await generatePkcs11Key(spec);
  const uri = pkcs11Uri({
    ...(spec.tokenLabel === undefined ? {} : { tokenLabel: spec.tokenLabel }),
    ...(spec.slot === undefined ? {} : { slot: spec.slot }),
    keyLabel: spec.keyLabel,
    keyId: created.keyId,
  });
  return { publicKey: created.publicKey, reference: formatKeyReference(uri, created.publicKey) };
}

/** Creates an RSA_2048 SIGN_VERIFY key in AWS KMS (under an alias when given). */
export async function generateAwsKmsKey(spec: KmsKeySpec): Promise<CreatedKey> {
  const { generateKmsKey } = await import('./kms-signer.ts');
  const created = await generateKmsKey(spec);
  // Named by its alias when it has one (generateKmsKey adds a missing `alias/`), so a rotation can repoint it.
  const alias = spec.alias === undefined || spec.alias.startsWith('alias/') ? spec.alias : `alias/${spec.alias}`;
  return { publicKey: created.publicKey, reference: formatKeyReference(kmsUri(alias ?? created.keyId), created.publicKey) };
}
