// Signed commands: an Ed25519 signature over the exact bytes of the command's value and the id of
// the key that made it, in the two headers the worker verifies (the upstream key registered with
// Paystream's command authentication).
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { CommandHeaders } from '@paystream/contracts';
import { codes, PaystreamClientError } from './errors.ts';

export interface CommandSigningKey {
  /** The upstream's Ed25519 private key: PKCS#8 PEM, or a KeyObject. */
  readonly privateKey: string | KeyObject;
  /** Checked against the key when given: the first 16 hex characters of the SHA-256 of its SPKI. */
  readonly keyId?: string;
}

export type CommandSigner = (value: Buffer) => Record<string, string>;

/** The key id Paystream names an Ed25519 public key by. */
export function commandKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

function privateKeyOf(key: string | KeyObject): KeyObject {
  try {
    return typeof key === 'string' ? createPrivateKey(key) : key;
  } catch {
    throw new PaystreamClientError(codes.PS_ERR_CLIENT_SIGNING_KEY, { problem: 'it is not a readable private key (PKCS#8 PEM)' });
  }
}

/** Signs command values with the key; refuses a key that is not Ed25519 or whose id differs from the one given. */
export function commandSigner(key: CommandSigningKey): CommandSigner {
  const privateKey = privateKeyOf(key.privateKey);
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519')
    throw new PaystreamClientError(codes.PS_ERR_CLIENT_SIGNING_KEY, { problem: 'commands are signed with an Ed25519 private key' });
  const keyId = commandKeyId(privateKey);
  if (key.keyId !== undefined && key.keyId !== keyId)
    throw new PaystreamClientError(codes.PS_ERR_CLIENT_SIGNING_KEY, { problem: `its key id is ${keyId}, not ${key.keyId}` });
  return (value) => ({ [CommandHeaders.keyId]: keyId, [CommandHeaders.signature]: sign(null, value, privateKey).toString('base64') });
}
