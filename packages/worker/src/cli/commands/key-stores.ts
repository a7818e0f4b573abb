// Merchant keys kept the ways the BI-SNAP specification recommends: created inside an HSM (PKCS#11)
// or AWS KMS, where they cannot be exported, or written encrypted at rest. `keys generate` chooses
// among these by flag; `keys encrypt` encrypts a key file that exists.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import {
  generateAwsKmsKey,
  generateHsmKey,
  isEncryptedPem,
  MIN_RSA_BITS,
  readPassphrase,
  readSecretRef,
  spkiFingerprint,
  type CreatedKey,
} from '@paystream/core';
import { output, required, UsageError } from '../args.ts';
import type { KeyFiles } from './command-signing.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

export const keyStoreOptions = {
  encrypt: { type: 'boolean' },
  'passphrase-file': { type: 'string' },
  pkcs11: { type: 'boolean' },
  module: { type: 'string' },
  token: { type: 'string' },
  slot: { type: 'string' },
  'key-label': { type: 'string' },
  'key-id': { type: 'string' },
  'pin-file': { type: 'string' },
  kms: { type: 'boolean' },
  alias: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
} as const;

export const keyStoreUsage =
  '[--encrypt --passphrase-file F|env:NAME] | [--pkcs11 --module LIB (--token LABEL|--slot N) --key-label L [--key-id HEX] --pin-file F|env:NAME] | [--kms [--alias alias/NAME] [--region R] [--endpoint URL]]';

/** AES-256-CBC with PBKDF2 (PKCS#8 v2): what OpenSSL writes for `openssl pkcs8 -topk8 -v2 aes-256-cbc`. */
export function encryptedPem(key: KeyObject, passphrase: string): string {
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

/** The passphrase --passphrase-file names (a file or env:NAME), refused when short. */
export function passphraseOf(values: Values): string {
  const passphrase = readPassphrase(required(values, 'passphrase-file'), '--passphrase-file');
  if (passphrase.length < 12) throw new UsageError('the passphrase --passphrase-file names is shorter than 12 characters');
  return passphrase;
}

function hsmSpec(values: Values, bits: number): Parameters<typeof generateHsmKey>[0] {
  const token = values['token'];
  const slot = values['slot'];
  if ((typeof token === 'string') === (typeof slot === 'string'))
    throw new UsageError('--pkcs11 needs exactly one of --token LABEL or --slot N');
  if (typeof slot === 'string' && !/^\d+$/.test(slot)) throw new UsageError('--slot is a slot number');
  const keyId = values['key-id'];
  if (typeof keyId === 'string' && !/^([0-9a-f]{2})+$/i.test(keyId)) throw new UsageError('--key-id is an even number of hex digits');
  const pinFile = required(values, 'pin-file');
  return {
    module: required(values, 'module'),
    ...(typeof token === 'string' ? { tokenLabel: token } : { slot: Number(slot) }),
    keyLabel: required(values, 'key-label'),
    ...(typeof keyId === 'string' ? { keyId: keyId.toLowerCase() } : {}),
    pin: () => readSecretRef(pinFile, '--pin-file', { private: true }).trim(),
    bits,
  };
}

function kmsSpec(values: Values): Parameters<typeof generateAwsKmsKey>[0] {
  const alias = values['alias'];
  if (typeof alias === 'string' && !/^alias\/[A-Za-z0-9/_-]+$/.test(alias)) throw new UsageError('--alias is alias/NAME');
  const pick = (name: string): Record<string, string> => (typeof values[name] === 'string' ? { [name]: values[name] } : {});
  return {
    ...pick('alias'),
    ...pick('region'),
    ...pick('endpoint'),
    description: 'Paystream merchant key (BI-SNAP access-token signatures)',
  };
}

/** Writes the reference and public key files of a key created in an HSM or KMS, claimed before the key is made. */
async function createInStore(values: Values, dir: string, files: KeyFiles, make: () => Promise<CreatedKey>): Promise<number> {
  const referencePath = join(dir, 'merchant-key.ref');
  const publicPath = join(dir, 'merchant-public.pem');
  const referenceFd = files.create(referencePath, 0o600);
  let publicFd: number;
  try {
    publicFd = files.create(publicPath, 0o644);
  } catch (err) {
    files.abandon(referenceFd, referencePath);
    throw err;
  }
  let created: CreatedKey;
  try {
    created = await make();
  } catch (err) {
    files.abandon(referenceFd, referencePath);
    files.abandon(publicFd, publicPath);
    throw err;
  }
  const publicKeyPem = created.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  files.write(referenceFd, created.reference);
  files.write(publicFd, publicKeyPem);
  output(values, {
    keyReference: referencePath,
    publicKey: publicPath,
    location: created.reference.split('\n', 1)[0],
    fingerprint: spkiFingerprint(created.publicKey),
    publicKeyPem,
    next: 'register the public key in the Midtrans dashboard (Settings > Access Keys); set privateKeyFile to the key reference file',
  });
  return 0;
}

/** `keys generate` for a merchant key in an HSM, in KMS or encrypted; undefined when none of those flags is given. */
export function generateInKeyStore(values: Values, dir: string, bits: number, files: KeyFiles): Promise<number> | undefined {
  const chosen = (['pkcs11', 'kms', 'encrypt'] as const).filter((f) => values[f] === true);
  if (chosen.length > 1) throw new UsageError('choose one of --pkcs11, --kms and --encrypt');
  if (chosen[0] === 'pkcs11') return createInStore(values, dir, files, () => generateHsmKey(hsmSpec(values, bits)));
  if (chosen[0] === 'kms') {
    if (bits !== MIN_RSA_BITS) throw new UsageError('--kms creates RSA_2048 keys; leave --bits out');
    return createInStore(values, dir, files, () => generateAwsKmsKey(kmsSpec(values)));
  }
  return undefined;
}

/** Reads a plain PKCS#8 private key for `keys encrypt`. */
export function plainPrivateKey(pem: string, what: string): KeyObject {
  if (isEncryptedPem(pem)) throw new UsageError(`${what} is already encrypted`);
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new UsageError(`${what} is not a PEM private key`);
  }
}
