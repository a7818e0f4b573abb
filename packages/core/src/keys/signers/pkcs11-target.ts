// Which module, token and key an HSM signer or key generation addresses, checked before any module
// is loaded, and named for operators in one phrase (`pkcs11 token "x" key "y"`) that never holds a PIN.
import { statSync } from 'node:fs';
import { codes } from '../../error-catalogue/index.ts';
import { KeyError } from '../../errors.ts';

/** The configuration field naming the module library: what a missing file is reported against. */
export const MODULE_FIELD = 'keyStores.pkcs11.module';

export interface Pkcs11Address {
  /** The PKCS#11 module (shared library) path. */
  readonly module: string;
  /** The slot's CK_SLOT_ID (RFC 7512 `slot-id`), as `softhsm2-util --show-slots` or the vendor's tool lists it. */
  readonly slot?: number;
  readonly tokenLabel?: string;
  readonly keyLabel?: string;
  /** CKA_ID, hex. */
  readonly keyId?: string;
}

export interface Pkcs11Target {
  readonly module: string;
  readonly slot: number | undefined;
  readonly tokenLabel: string | undefined;
  readonly keyLabel: string | undefined;
  readonly keyId: Buffer | undefined;
  /** `token "x"` or `slot 0`. */
  readonly token: string;
  /** `pkcs11 token "x" key "y"`: where the key lives, for operators. */
  readonly location: string;
}

function missing(field: string, problem: string): KeyError {
  return new KeyError(codes.PS_ERR_KEY_MISSING, { field, problem });
}

function checkModuleFile(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw missing(MODULE_FIELD, 'cannot read the file it names (no such file)');
  }
  if (!isFile) throw missing(MODULE_FIELD, 'cannot read the file it names (not a regular file)');
}

function keyIdBytes(hex: string | undefined, what: string): Buffer | undefined {
  if (hex === undefined || hex === '') return undefined;
  const digits = hex.replace(/^0x/i, '');
  if (!/^(?:[0-9a-f]{2})+$/i.test(digits)) throw missing(what, `has a key id (CKA_ID) that is not pairs of hex digits: "${hex}"`);
  return Buffer.from(digits, 'hex');
}

function tokenPhrase(tokenLabel: string | undefined, slot: number | undefined): string {
  return tokenLabel === undefined ? `slot ${String(slot)}` : `token "${tokenLabel}"`;
}

function keyPhrase(keyLabel: string | undefined, keyId: Buffer | undefined): string {
  const label = keyLabel === undefined ? '' : ` "${keyLabel}"`;
  const id = keyId === undefined ? '' : ` id ${keyId.toString('hex')}`;
  return `key${label}${id}`;
}

/**
 * The address checked: the module file exists, a token is named by label or slot id, and (for a
 * signer) the key by label or CKA_ID. A refusal is a KeyError (a key missing) naming `what`.
 */
export function checkTarget(address: Pkcs11Address, what: string): Pkcs11Target {
  checkModuleFile(address.module);
  const tokenLabel = address.tokenLabel === '' ? undefined : address.tokenLabel;
  const keyLabel = address.keyLabel === '' ? undefined : address.keyLabel;
  const { slot } = address;
  if (tokenLabel === undefined && slot === undefined) throw missing(what, 'names no token: give a token label or a slot id');
  if (slot !== undefined && (!Number.isInteger(slot) || slot < 0))
    throw missing(what, `has slot ${String(slot)}; a slot is an index, 0 or more`);
  const keyId = keyIdBytes(address.keyId, what);
  if (keyLabel === undefined && keyId === undefined) throw missing(what, 'names no key: give a key label or a key id (CKA_ID, hex)');
  const token = tokenPhrase(tokenLabel, slot);
  return { module: address.module, slot, tokenLabel, keyLabel, keyId, token, location: `pkcs11 ${token} ${keyPhrase(keyLabel, keyId)}` };
}
