// The merchant's private key on a token, opened for signing: found by label or CKA_ID in a
// logged-in session, with the public half read from the token so that it can be checked against the
// configured key before anything is signed.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { failure, Pkcs11Failure, returnValueOf } from './pkcs11-errors.ts';
import { pkcs11js, type Handle, type Pkcs11, type Pkcs11Module } from './pkcs11-module.ts';
import type { Pkcs11Target } from './pkcs11-target.ts';
import { closeSession, findObjects, findSlot, keyTemplate, keyWords, login, openSession } from './pkcs11-token.ts';

/** A logged-in session and the private key in it, valid for one generation of the module. */
export interface OpenedKey {
  readonly session: Handle;
  readonly key: Handle;
  /** The public half as the token holds it. */
  readonly publicKey: KeyObject;
  readonly generation: number;
}

/** An RSA public key from its modulus and public exponent (big-endian bytes, as PKCS#11 gives them). */
export function rsaPublicKey(modulus: Buffer, exponent: Buffer): KeyObject {
  const unsigned = (bytes: Buffer): string => bytes.subarray(bytes.findIndex((b) => b !== 0)).toString('base64url');
  return createPublicKey({ key: { kty: 'RSA', n: unsigned(modulus), e: unsigned(exponent) }, format: 'jwk' });
}

/** Attribute values of `object` by type; an attribute the token will not show is absent. */
function readAttributes(lib: Pkcs11, session: Handle, object: Handle, types: readonly number[]): Map<number, Buffer> {
  const values = new Map<number, Buffer>();
  try {
    for (const a of lib.C_GetAttributeValue(
      session,
      object,
      types.map((type) => ({ type })),
    ))
      values.set(a.type, a.value);
  } catch (err) {
    const value = returnValueOf(err);
    if (value !== 'CKR_ATTRIBUTE_TYPE_INVALID' && value !== 'CKR_ATTRIBUTE_SENSITIVE') throw failure('reading the key', err);
  }
  return values;
}

/** Reads the modulus and exponent of `object`, when it shows both. */
function publicHalf(lib: Pkcs11, session: Handle, object: Handle): KeyObject | undefined {
  const values = readAttributes(lib, session, object, [pkcs11js.CKA_MODULUS, pkcs11js.CKA_PUBLIC_EXPONENT]);
  const modulus = values.get(pkcs11js.CKA_MODULUS);
  const exponent = values.get(pkcs11js.CKA_PUBLIC_EXPONENT);
  if (modulus === undefined || exponent === undefined || modulus.length === 0 || exponent.length === 0) return undefined;
  return rsaPublicKey(modulus, exponent);
}

/**
 * The public half of the private key `key`: from the private key object itself where the token
 * shows its modulus and exponent (so it is certainly that key's), else from the CKO_PUBLIC_KEY
 * object with the same CKA_ID.
 */
export function readPublicKey(lib: Pkcs11, session: Handle, key: Handle, target: Pkcs11Target): KeyObject {
  const where = `${keyWords(target.keyLabel, target.keyId)} on ${target.token}`;
  const type = readAttributes(lib, session, key, [pkcs11js.CKA_KEY_TYPE]).get(pkcs11js.CKA_KEY_TYPE);
  if (type !== undefined && type.some((b) => b !== 0)) throw new Pkcs11Failure(`the private key ${where} is not an RSA key`);
  const own = publicHalf(lib, session, key);
  if (own !== undefined) return own;
  const id = readAttributes(lib, session, key, [pkcs11js.CKA_ID]).get(pkcs11js.CKA_ID);
  const publicKeys =
    id === undefined || id.length === 0 ? [] : findObjects(lib, session, keyTemplate(pkcs11js.CKO_PUBLIC_KEY, undefined, id));
  const [publicObject] = publicKeys;
  const half = publicKeys.length === 1 && publicObject !== undefined ? publicHalf(lib, session, publicObject) : undefined;
  if (half === undefined)
    throw new Pkcs11Failure(`the public key of the private key ${where} cannot be read: the token holds no single public key with its id`);
  return half;
}

/** The one private key the target names, in a logged-in session. */
function findPrivateKey(lib: Pkcs11, session: Handle, target: Pkcs11Target): Handle {
  const keys = findObjects(lib, session, keyTemplate(pkcs11js.CKO_PRIVATE_KEY, target.keyLabel, target.keyId));
  const words = keyWords(target.keyLabel, target.keyId);
  const [key] = keys;
  if (key === undefined) throw new Pkcs11Failure(`no private key ${words} on ${target.token}`);
  if (keys.length > 1) throw new Pkcs11Failure(`${String(keys.length)} private keys ${words} on ${target.token}; name one by its key id`);
  return key;
}

/** Opens a read-only session on the target's token, logs in and finds the private key; run inside a module task. */
export function openSigningKey(module: Pkcs11Module, target: Pkcs11Target, pin: () => string): OpenedKey {
  const slot = findSlot(module, target);
  const { lib, generation } = module;
  const session = openSession(lib, slot, false);
  try {
    login(lib, session, pin);
    const key = findPrivateKey(lib, session, target);
    return { session, key, publicKey: readPublicKey(lib, session, key, target), generation };
  } catch (err) {
    closeSession(lib, session);
    throw err;
  }
}
