// The HSM signer against a real SoftHSM2 token, never a mock: a key generated in the token signs what
// Node verifies, and a wrong PIN, a late token, a lost session or a wrong key each leave the signer
// unready with a reason until it recovers by itself. Key generation itself: pkcs11-generate.spec.ts.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, createSoftHsmToken, type SoftHsmToken } from '@paystream/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spkiFingerprint } from '../pem.ts';
import { binding, refusal } from '../../../test/pkcs11-testing.ts';
import { finalizePkcs11Modules, generatePkcs11Key, Pkcs11Signer, type Pkcs11SignerOptions } from './pkcs11-signer.ts';

const TOKEN = 'paystream';
const KEY = 'merchant-2026';
const PIN = '7351-right-pin';
const WRONG_PIN = '0000-wrong-pin';
const TOKEN_STRING = Buffer.from('G-MERCHANT-CLIENT-ID|2026-12-07T19:48:00+07:00');
const signers = new Cleanup();
let hsm: SoftHsmToken;
let merchant: { publicKey: KeyObject; keyId: string };

beforeAll(async () => {
  hsm = createSoftHsmToken({ label: TOKEN, pin: PIN, soPin: '8642-so-pin' });
  process.env['SOFTHSM2_CONF'] = hsm.confFile; // read by SoftHSM at the process's first C_Initialize
  merchant = await generatePkcs11Key({ module: hsm.module, tokenLabel: TOKEN, keyLabel: KEY, pin: () => PIN });
}, 900_000);

// Every session closed, so the token logs out and the next C_Login checks its PIN again.
afterEach(() => signers.run());

afterAll(async () => {
  await finalizePkcs11Modules();
  hsm.remove();
});

function signer(options: Partial<Pkcs11SignerOptions> = {}): Pkcs11Signer {
  const defaults = { module: hsm.module, tokenLabel: TOKEN, keyLabel: KEY, pin: () => PIN, publicKey: merchant.publicKey };
  const made = new Pkcs11Signer({ ...defaults, what: 'The private key of merchant "default"', ...options });
  signers.add('close a PKCS#11 signer', () => made.close());
  return made;
}

/** The reason a signer gives for being unready, or `ready`. */
const unreadyReason = (s: Pkcs11Signer): string => reasonOf(s.status());
const reasonOf = (status: ReturnType<Pkcs11Signer['status']>): string => (status.ready ? 'ready' : status.reason);

/** How many sessions the process holds (SoftHSM does not count them: handles are probed, from 1 up). */
function liveSessions(): number {
  const lib = binding(hsm.module);
  const handles = Array.from({ length: 64 }, (_, i) => Buffer.from(new BigUint64Array([BigInt(i + 1)]).buffer));
  return handles.filter((handle) => {
    try {
      lib.C_GetSessionInfo(handle);
      return true;
    } catch {
      return false;
    }
  }).length;
}

describe('Pkcs11Signer against SoftHSM2', () => {
  it('signs with SHA256withRSA in the token: Node verifies the signature with the public key', async () => {
    const s = signer();
    expect(s.status()).toEqual({ ready: false, reason: expect.stringContaining('not opened yet') as string });
    expect(s.location).toBe(`pkcs11 token "${TOKEN}" key "${KEY}"`);
    expect([s.kind, s.fingerprint]).toEqual(['pkcs11', spkiFingerprint(merchant.publicKey)]);
    const signature = await s.sign(TOKEN_STRING);
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, signature)).toBe(true);
    expect(verify('RSA-SHA256', Buffer.from('another string'), merchant.publicKey, signature)).toBe(false);
    expect(s.status()).toEqual({ ready: true });
    const byId = signer({ keyLabel: '', keyId: merchant.keyId });
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, await byId.sign(TOKEN_STRING))).toBe(true);
    // By the slot's CK_SLOT_ID (RFC 7512 slot-id), as softhsm2-util --show-slots lists it.
    const shown = execFileSync('softhsm2-util', ['--show-slots'], {
      env: { ...process.env, SOFTHSM2_CONF: hsm.confFile },
      encoding: 'utf8',
    });
    const block = shown.split(/^Slot /m).find((b) => /^\s+Label:\s+paystream\s*$/m.test(b));
    const slotId = Number(/^\d+/.exec(block ?? '')?.[0]);
    expect(Number.isInteger(slotId)).toBe(true);
    const inSlot = (slot: number): Pkcs11Signer => {
      const made = new Pkcs11Signer({ module: hsm.module, slot, keyLabel: KEY, pin: () => PIN, publicKey: merchant.publicKey, what: 'k' });
      signers.add('close a PKCS#11 signer', () => made.close());
      return made;
    };
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, await inSlot(slotId).sign(TOKEN_STRING))).toBe(true);
    expect((await refusal(inSlot(slotId === 424242 ? 424243 : 424242).sign(TOKEN_STRING))).message).toMatch(/no slot \d+ holds a token/);
  });

  it('is unready while the token refuses the PIN, never showing it, and signs once the PIN is fixed', async () => {
    let pin = WRONG_PIN;
    const s = signer({ pin: () => pin });
    const err = await refusal(s.sign(TOKEN_STRING));
    expect(err.code).toBe('PS_ERR_SIGNER_UNAVAILABLE');
    expect(err.message).toContain('the token refused the PIN (CKR_PIN_INCORRECT)');
    expect(unreadyReason(s)).toContain('CKR_PIN_INCORRECT');
    for (const text of [err.message, JSON.stringify(err), unreadyReason(s)])
      for (const p of [WRONG_PIN, PIN]) expect(text).not.toContain(p);
    // The same wrong PIN is not offered again: a token locks the PIN after a few wrong attempts.
    expect((await refusal(s.sign(TOKEN_STRING))).message).toContain('it is not offered again until the configured PIN changes');
    pin = PIN;
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, await s.sign(TOKEN_STRING))).toBe(true);
    expect(s.status()).toEqual({ ready: true });
  });

  it('is unready while its token is absent, and signs once the token appears', async () => {
    const late = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const s = signer({ tokenLabel: 'late', keyLabel: 'late-key', publicKey: late.publicKey });
    const err = await refusal(s.sign(TOKEN_STRING));
    expect(err.code).toBe('PS_ERR_SIGNER_UNAVAILABLE');
    expect(unreadyReason(s)).toBe('no token labelled "late" is present');
    // Another process creates the token and imports the key: this process's module has not seen either.
    hsm.addToken({ label: 'late', pin: PIN, soPin: '8642-so-pin' });
    const pem = join(hsm.tokenDir, '..', 'late-key.pem');
    writeFileSync(pem, late.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const args = ['--import', pem, '--token', 'late', '--label', 'late-key', '--id', '0a0b', '--pin', PIN];
    execFileSync('softhsm2-util', args, { env: { ...process.env, ...hsm.env }, stdio: 'ignore' });
    expect(verify('RSA-SHA256', TOKEN_STRING, late.publicKey, await s.sign(TOKEN_STRING))).toBe(true);
    expect(s.status()).toEqual({ ready: true });
  });

  it('opens a new session when its session is lost behind its back', async () => {
    const s = signer();
    await s.sign(TOKEN_STRING);
    const lib = binding(hsm.module);
    lib.C_CloseAllSessions(lib.C_GetSlotList(true).find((slot) => lib.C_GetTokenInfo(slot).label.trimEnd() === TOKEN)!);
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, await s.sign(TOKEN_STRING))).toBe(true);
    expect(s.status()).toEqual({ ready: true });
  });

  it('opens anew after another signer re-initialised the module, never using handles from before it', async () => {
    const second = await generatePkcs11Key({ module: hsm.module, tokenLabel: TOKEN, keyLabel: 'second-key', pin: () => PIN });
    // Looking for a token that is not there re-initialises the shared module: every handle is void,
    // and the module numbers sessions and keys from 1 again.
    const reinitialise = async (): Promise<unknown> => refusal(signer({ tokenLabel: 'nowhere' }).sign(TOKEN_STRING));
    await reinitialise();
    const first = signer();
    await first.sign(TOKEN_STRING);
    await reinitialise();
    // The other signer now holds the numbers the first one held before.
    const other = signer({ keyLabel: 'second-key', publicKey: second.publicKey });
    await other.sign(TOKEN_STRING);
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, await first.sign(TOKEN_STRING))).toBe(true);
    // Both sessions are open: the first signer did not close the other's under the number it once held.
    expect(liveSessions()).toBe(2);
    expect(verify('RSA-SHA256', TOKEN_STRING, second.publicKey, await other.sign(TOKEN_STRING))).toBe(true);
  });

  it('never returns a signature by another key, even when other code re-initialised the module', async () => {
    const third = await generatePkcs11Key({ module: hsm.module, tokenLabel: TOKEN, keyLabel: 'third-key', pin: () => PIN });
    const lib = binding(hsm.module);
    const restart = (): void => {
      lib.C_Finalize();
      lib.C_Initialize();
    };
    restart();
    const first = signer();
    await first.sign(TOKEN_STRING);
    restart(); // behind the signers' backs: their module does not know its handles are void
    const other = signer({ keyLabel: 'third-key', publicKey: third.publicKey });
    await other.sign(TOKEN_STRING);
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, await first.sign(TOKEN_STRING))).toBe(true);
    expect(verify('RSA-SHA256', TOKEN_STRING, third.publicKey, await other.sign(TOKEN_STRING))).toBe(true);
  });

  it('refuses to sign with a key that is not on the token or not the configured public key', async () => {
    const absent = signer({ keyLabel: 'absent' });
    expect((await refusal(absent.sign(TOKEN_STRING))).code).toBe('PS_ERR_SIGNER_UNAVAILABLE');
    expect(unreadyReason(absent)).toBe(`no private key labelled "absent" on token "${TOKEN}"`);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const wrongConfig = await refusal(signer({ publicKey: stranger }).sign(TOKEN_STRING));
    expect(wrongConfig.code).toBe('PS_ERR_SIGNER_KEY_MISMATCH');
    expect(wrongConfig.message).toContain(spkiFingerprint(merchant.publicKey));
    expect(wrongConfig.message).toContain(spkiFingerprint(stranger));
    await generatePkcs11Key({ module: hsm.module, tokenLabel: TOKEN, keyLabel: 'other-key', pin: () => PIN });
    const wrongLabel = signer({ keyLabel: 'other-key' });
    expect((await refusal(wrongLabel.sign(TOKEN_STRING))).code).toBe('PS_ERR_SIGNER_KEY_MISMATCH');
    expect(unreadyReason(wrongLabel)).toContain(spkiFingerprint(merchant.publicKey));
  });

  it('refuses an address without a token, a key or a module file before opening anything', () => {
    const missing = expect.objectContaining({ code: 'PS_ERR_KEY_MISSING' }) as Error;
    expect(() => signer({ tokenLabel: '' })).toThrow(missing);
    expect(() => signer({ keyLabel: '' })).toThrow(missing);
    expect(() => signer({ module: join(hsm.tokenDir, 'no-such-module.so') })).toThrow(missing);
  });
});
