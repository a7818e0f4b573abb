// Key generation inside a real SoftHSM2 token, never a mock: the private key is made in the token,
// sensitive and never extractable, and a label already taken is refused rather than duplicated.
import { createSoftHsmToken, type SoftHsmToken } from '@paystream/test-harness';
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binding, refusal, tolerating } from '../../../test/pkcs11-testing.ts';
import { finalizePkcs11Modules, generatePkcs11Key, type GeneratedPkcs11Key } from './pkcs11-signer.ts';
import { findObjects, keyTemplate } from './pkcs11-token.ts';

const TOKEN = 'paystream';
const KEY = 'merchant-2026';
const PIN = '7351-right-pin';
let hsm: SoftHsmToken;
let merchant: GeneratedPkcs11Key;

beforeAll(async () => {
  hsm = createSoftHsmToken({ label: TOKEN, pin: PIN, soPin: '8642-so-pin' });
  process.env['SOFTHSM2_CONF'] = hsm.confFile; // read by SoftHSM at the process's first C_Initialize
  merchant = await generatePkcs11Key({ module: hsm.module, tokenLabel: TOKEN, keyLabel: KEY, pin: () => PIN });
}, 900_000);

afterAll(async () => {
  await finalizePkcs11Modules();
  hsm.remove();
});

function slotOf(lib: pkcs11js.PKCS11, label: string): Buffer {
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trimEnd() === label);
  if (slot === undefined) throw new Error(`no token "${label}"`);
  return slot;
}

/** Runs `inspect` in a logged-in session of its own on `label`. */
function onToken<T>(label: string, inspect: (lib: pkcs11js.PKCS11, session: Buffer) => T): T {
  const lib = binding(hsm.module);
  const session = lib.C_OpenSession(slotOf(lib, label), pkcs11js.CKF_SERIAL_SESSION);
  try {
    tolerating('CKR_USER_ALREADY_LOGGED_IN', () => lib.C_Login(session, pkcs11js.CKU_USER, PIN));
    return inspect(lib, session);
  } finally {
    lib.C_CloseSession(session);
  }
}

function privateKeysLabelled(lib: pkcs11js.PKCS11, session: Buffer, label: string): Buffer[] {
  return findObjects(lib, session, keyTemplate(pkcs11js.CKO_PRIVATE_KEY, label, undefined));
}

describe('generatePkcs11Key against SoftHSM2', () => {
  it('generates the key pair inside the token: sensitive, not extractable, RSA of 2048 bits', () => {
    expect(merchant.publicKey.asymmetricKeyType).toBe('rsa');
    expect(merchant.publicKey.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
    onToken(TOKEN, (lib, session) => {
      const [key, ...others] = privateKeysLabelled(lib, session, KEY);
      expect(others).toEqual([]);
      // NEVER_EXTRACTABLE and ALWAYS_SENSITIVE are the token's own record that the key never left it in the clear.
      const flags = [pkcs11js.CKA_EXTRACTABLE, pkcs11js.CKA_NEVER_EXTRACTABLE, pkcs11js.CKA_SENSITIVE, pkcs11js.CKA_ALWAYS_SENSITIVE];
      const types = [...flags, pkcs11js.CKA_TOKEN, pkcs11js.CKA_PRIVATE, pkcs11js.CKA_SIGN, pkcs11js.CKA_ID];
      const template = types.map((type) => ({ type }));
      const values = lib.C_GetAttributeValue(session, key!, template).map((a) => a.value);
      expect(values.slice(0, -1).map((v) => v[0])).toEqual([0, 1, 1, 1, 1, 1, 1]);
      expect(values.at(-1)?.toString('hex')).toBe(merchant.keyId);
      expect(() => lib.C_GetAttributeValue(session, key!, [{ type: pkcs11js.CKA_PRIVATE_EXPONENT }])).toThrow('CKR_ATTRIBUTE_SENSITIVE');
    });
  });

  it('refuses to generate a second key with a label already on the token', async () => {
    const err = await refusal(generatePkcs11Key({ module: hsm.module, tokenLabel: TOKEN, keyLabel: KEY, pin: () => PIN }));
    expect(err.code).toBe('PS_ERR_KEY_EXISTS');
    expect(onToken(TOKEN, (lib, session) => privateKeysLabelled(lib, session, KEY))).toHaveLength(1);
  });

  it('refuses a key shorter than BI-SNAP allows before touching the token', async () => {
    const err = await refusal(generatePkcs11Key({ module: hsm.module, tokenLabel: TOKEN, keyLabel: 'short', pin: () => PIN, bits: 1024 }));
    expect(err.code).toBe('PS_ERR_KEY_TOO_SHORT');
    expect(onToken(TOKEN, (lib, session) => privateKeysLabelled(lib, session, 'short'))).toEqual([]);
  });
});
