// Generating a merchant key pair inside an HSM, so that the private key is never outside it: the
// token makes an RSA pair that is sensitive and not extractable, and only the public half comes out
// (to be registered with Midtrans). An existing label or id is refused, never duplicated.
import { randomBytes, type KeyObject } from 'node:crypto';
import { codes } from '../../error-catalogue/index.ts';
import { KeyError } from '../../errors.ts';
import { MIN_RSA_BITS } from '../pem.ts';
import { duringAsync, failure, Pkcs11Failure } from './pkcs11-errors.ts';
import { readPublicKey } from './pkcs11-key.ts';
import { pkcs11js, pkcs11Module, type Handle, type Pkcs11 } from './pkcs11-module.ts';
import { checkTarget, type Pkcs11Target } from './pkcs11-target.ts';
import { closeSession, findObjects, findSlot, login, openSession } from './pkcs11-token.ts';

export interface GeneratePkcs11KeyOptions {
  readonly module: string;
  /** The slot's CK_SLOT_ID. */
  readonly slot?: number;
  readonly tokenLabel?: string;
  readonly keyLabel: string;
  /** CKA_ID, hex; 8 random bytes when absent. */
  readonly keyId?: string;
  readonly pin: () => string;
  /** RSA modulus length; 2048 by default, at least MIN_RSA_BITS. */
  readonly bits?: number;
}

export interface GeneratedPkcs11Key {
  readonly publicKey: KeyObject;
  /** The CKA_ID given to both halves, hex. */
  readonly keyId: string;
}

const PUBLIC_EXPONENT = Buffer.from([0x01, 0x00, 0x01]);

function templates(label: string, id: Buffer, bits: number): { publicKey: pkcs11js.Template; privateKey: pkcs11js.Template } {
  const named = [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: id },
  ];
  return {
    publicKey: [
      ...named,
      { type: pkcs11js.CKA_VERIFY, value: true },
      { type: pkcs11js.CKA_MODULUS_BITS, value: bits },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: PUBLIC_EXPONENT },
    ],
    privateKey: [
      ...named,
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_SIGN, value: true },
    ],
  };
}

/** Refuses when any object on the token already has the label or the id. */
function refuseExisting(lib: Pkcs11, session: Handle, target: Pkcs11Target, label: string, id: Buffer): void {
  if (findObjects(lib, session, [{ type: pkcs11js.CKA_LABEL, value: label }]).length > 0)
    throw new KeyError(codes.PS_ERR_KEY_EXISTS, { path: `pkcs11 ${target.token} key "${label}"` });
  if (findObjects(lib, session, [{ type: pkcs11js.CKA_ID, value: id }]).length > 0)
    throw new KeyError(codes.PS_ERR_KEY_EXISTS, { path: `pkcs11 ${target.token} key id ${id.toString('hex')}` });
}

async function generateInSession(lib: Pkcs11, session: Handle, target: Pkcs11Target, bits: number): Promise<GeneratedPkcs11Key> {
  const label = target.keyLabel ?? '';
  const id = target.keyId ?? randomBytes(8);
  refuseExisting(lib, session, target, label, id);
  const { publicKey, privateKey } = templates(label, id, bits);
  const mechanism = { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN };
  const pair = await duringAsync('generating the key pair', () => lib.C_GenerateKeyPairAsync(session, mechanism, publicKey, privateKey));
  return { publicKey: readPublicKey(lib, session, pair.privateKey, { ...target, keyId: id }), keyId: id.toString('hex') };
}

/**
 * Generates an RSA key pair inside the token (CKM_RSA_PKCS_KEY_PAIR_GEN), labelled `keyLabel` with
 * CKA_ID `keyId`, and returns its public half. Refuses a label or id already taken (the key exists),
 * and a token that cannot be reached or refuses (the signer is unavailable).
 */
export async function generatePkcs11Key(options: GeneratePkcs11KeyOptions): Promise<GeneratedPkcs11Key> {
  const what = `The new key "${options.keyLabel}"`;
  const bits = options.bits ?? MIN_RSA_BITS;
  if (!Number.isInteger(bits) || bits < MIN_RSA_BITS)
    throw new KeyError(codes.PS_ERR_KEY_TOO_SHORT, {
      what,
      problem: `would have ${String(bits)} bits; BI-SNAP requires at least ${String(MIN_RSA_BITS)}`,
    });
  if (options.keyLabel === '') throw new KeyError(codes.PS_ERR_KEY_MISSING, { field: what, problem: 'needs a key label' });
  const target = checkTarget(options, what);
  try {
    const module = pkcs11Module(target.module);
    return await module.run(async (lib) => {
      const session = openSession(lib, findSlot(module, target), true);
      try {
        login(lib, session, options.pin);
        return await generateInSession(lib, session, target, bits);
      } finally {
        closeSession(lib, session);
      }
    });
  } catch (err) {
    if (err instanceof KeyError) throw err;
    const reason = err instanceof Pkcs11Failure ? err.reason : failure('generating the key pair', err).reason;
    throw new KeyError(codes.PS_ERR_SIGNER_UNAVAILABLE, { what, location: target.location, reason });
  }
}
