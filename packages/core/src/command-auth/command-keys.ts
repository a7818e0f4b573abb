// The keys upstream services sign commands with: Ed25519, each named by its key id (the first 16 hex
// characters of the SHA-256 of its SubjectPublicKeyInfo, as core's event keys are) and limited to
// the methods, command types and merchants its upstream's allow-list entry names.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { containsCardNumber } from '../cards/index.ts';
import type { MaterialSource } from '../keys/reloadable.ts';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';
import { keyId, spkiFingerprint } from '../keys/pem.ts';

/** What an upstream may send: every command it signs must name one of each (any merchant when `merchants` is absent). */
export interface UpstreamGrant {
  readonly name: string;
  readonly methods: readonly string[];
  readonly types: readonly string[];
  readonly merchants?: readonly string[] | undefined;
}

/** `commands.auth` of the worker configuration, as its schema leaves it. */
export interface CommandAuthSettings {
  /** Refuse unsigned commands; a command that carries a signature is verified either way. */
  readonly required: boolean;
  readonly upstreams: readonly (UpstreamGrant & { readonly publicKeyFiles: readonly string[] })[];
  readonly revokedKeyFingerprints: readonly string[];
  readonly revocationListFile?: string | undefined;
}

/** One upstream key as loaded: revoked keys are kept, so a refusal can say the key is revoked rather than unknown. */
export interface UpstreamKey {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly key: KeyObject;
  readonly grant: UpstreamGrant;
  readonly revoked: boolean;
}

export interface CommandKeyMaterial {
  readonly keys: ReadonlyMap<string, UpstreamKey>;
}

/** Where upstream keys come from: files here; another store implements the same. */
export type CommandKeySource = MaterialSource<CommandKeyMaterial>;

/** PEM armour of a public key, spelled out once. */
const PUBLIC = ['PUBLIC', 'KEY'].join(' ');
const BLOCK = new RegExp(`-----BEGIN ${PUBLIC}-----[\\s\\S]*?-----END ${PUBLIC}-----`, 'g');
const GENERATE = 'generate one with: paystream keys generate --kind command --out DIR';

/** The key id of a command-signing key, public or private. */
export const commandKeyId = (key: KeyObject): string => keyId(key);

function checkEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what, problem: `is not an Ed25519 key: ${GENERATE}` });
  // A key id is repeated in DLQ records and logs, which mask card numbers: an id that reads as one would be unusable.
  if (containsCardNumber(commandKeyId(key)))
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what, problem: `has a key id that reads as a card number: ${GENERATE}` });
  return key;
}

/** Every Ed25519 public key (SPKI PEM) a file holds: one or more blocks, so a rotation can add a key beside the old one. */
export function parseCommandPublicKeys(text: string, what: string): KeyObject[] {
  const blocks = text.match(BLOCK) ?? [];
  if (blocks.length === 0) throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what, problem: `holds no PEM "BEGIN ${PUBLIC}" block` });
  return blocks.map((pem, i) => {
    const which = blocks.length > 1 ? `${what} (key #${String(i + 1)})` : what;
    try {
      return checkEd25519(createPublicKey({ key: pem, format: 'pem' }), which);
    } catch (err) {
      if (KeyError.is(err)) throw err;
      throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what: which, problem: 'could not be parsed as SPKI PEM (damaged or truncated)' });
    }
  });
}

/** An upstream's private signing key: unencrypted PKCS#8 PEM, Ed25519. */
export function loadCommandSigningKey(pem: string, what: string): KeyObject {
  try {
    return checkEd25519(createPrivateKey({ key: pem, format: 'pem' }), what);
  } catch (err) {
    if (KeyError.is(err)) throw err;
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what, problem: `could not be parsed as an unencrypted PKCS#8 PEM key: ${GENERATE}` });
  }
}

/** The entry of one loaded key. */
export function upstreamKey(key: KeyObject, grant: UpstreamGrant, revoked: ReadonlySet<string>): UpstreamKey {
  const fingerprint = spkiFingerprint(key);
  return { keyId: commandKeyId(key), fingerprint, key, grant, revoked: revoked.has(fingerprint) };
}
