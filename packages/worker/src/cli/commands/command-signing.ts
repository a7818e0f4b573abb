// Command signing for the CLI: `paystream publish --signing-key` signs the exact bytes it publishes
// as an upstream service does, and `paystream keys generate --kind command` makes the Ed25519 pair
// (the private key owner-only, the public key a file `commands.auth.upstreams[].publicKeyFiles` takes).
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import {
  commandKeyId,
  containsCardNumber,
  loadCommandSigningKey,
  parseCommandPublicKeys,
  readSecretRef,
  signCommand,
  spkiFingerprint,
} from '@paystream/core';
import { COMMAND_KEY_ID, COMMAND_SIGNATURE } from '@paystream/runtime';
import { output, UsageError } from '../args.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

export const signingOptions = { 'signing-key': { type: 'string' }, 'signing-key-id': { type: 'string' } } as const;
export const signingUsage = '[--signing-key FILE|env:NAME [--signing-key-id ID]]';

/** The signature headers of `value` when --signing-key names a key; none otherwise. */
export function signatureHeaders(values: Values, value: Buffer, allowInsecurePermissions: boolean): Record<string, string> {
  const ref = values['signing-key'];
  const pinned = values['signing-key-id'];
  if (typeof ref !== 'string') {
    if (pinned !== undefined) throw new UsageError('--signing-key-id needs --signing-key');
    return {};
  }
  // Read as the worker reads private keys: owner-only, and named by the flag, never by its value.
  const key = loadCommandSigningKey(readSecretRef(ref, '--signing-key', { private: true, allowInsecurePermissions }), '--signing-key');
  const keyId = commandKeyId(key);
  if (pinned !== undefined && pinned !== keyId)
    throw new UsageError(`--signing-key-id is not the id of the key --signing-key names (that key's id is ${keyId})`);
  const signed = signCommand(value, key, keyId);
  return { [COMMAND_KEY_ID]: signed.keyId, [COMMAND_SIGNATURE]: signed.signature };
}

/** An Ed25519 command key's fingerprint and key id (public or private PEM); undefined for any other key. */
export function commandKeyFingerprint(pem: string, what: string): { kind: string; fingerprint: string; keyId: string } | undefined {
  let type: string | undefined;
  try {
    type = createPublicKey(pem).asymmetricKeyType;
  } catch {
    return undefined;
  }
  if (type !== 'ed25519') return undefined;
  const key = /PRIVATE KEY/.test(pem) ? loadCommandSigningKey(pem, what) : parseCommandPublicKeys(pem, what)[0];
  if (!key) return undefined;
  return { kind: 'ed25519 command key (SPKI)', fingerprint: spkiFingerprint(key), keyId: commandKeyId(key) };
}

/** What `keys generate` lends: exclusive creation with a mode, and writing then closing. */
export interface KeyFiles {
  readonly create: (path: string, mode: number) => number;
  readonly write: (fd: number, content: string | Buffer) => void;
  readonly abandon: (fd: number, path: string) => void;
}

/** `keys generate --kind command`: an Ed25519 pair whose key id reads as no card number (the worker would refuse it). */
export function generateCommandKeys(values: Values, dir: string, files: KeyFiles): number {
  if (values['bits'] !== undefined) throw new UsageError('--bits applies to merchant keys; command keys are Ed25519');
  const privatePath = join(dir, 'command-private.pem');
  const publicPath = join(dir, 'command-public.pem');
  // Both files are claimed before the key is made: of two runs at once, exactly one writes.
  const privateFd = files.create(privatePath, 0o600);
  let publicFd: number;
  try {
    publicFd = files.create(publicPath, 0o644);
  } catch (err) {
    files.abandon(privateFd, privatePath);
    throw err;
  }
  let pair = generateKeyPairSync('ed25519');
  while (containsCardNumber(commandKeyId(pair.publicKey))) pair = generateKeyPairSync('ed25519');
  files.write(privateFd, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  files.write(publicFd, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  output(values, {
    privateKey: privatePath,
    publicKey: publicPath,
    keyId: commandKeyId(pair.publicKey),
    fingerprint: spkiFingerprint(pair.publicKey),
    allowList: { name: 'UPSTREAM', publicKeyFiles: [publicPath], methods: ['METHOD'], types: ['payment.charge'] },
    next: 'add the public key to commands.auth.upstreams of the worker configuration (then SIGHUP); give the private key to the upstream service only: paystream publish --signing-key FILE',
  });
  return 0;
}
