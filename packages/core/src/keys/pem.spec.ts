import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PaystreamError } from '../errors.ts';
import { rsaPair } from '../../test/keys.ts';
import { keyId, loadMerchantPrivateKey, loadRsaPublicKey, spkiFingerprint } from './pem.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (PaystreamError.is(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

describe('merchant private key loading', () => {
  const good = rsaPair();

  it('accepts RSA-2048 PKCS#8 PEM', () => {
    const key = loadMerchantPrivateKey(good.privatePem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('refuses PKCS#1 and says how to convert it', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const msg = codeOf(() => loadMerchantPrivateKey(pkcs1));
    expect(msg).toMatch(/^PS_ERR_KEY_PKCS1/);
    expect(msg).toContain('openssl pkcs8 -topk8');
    expect(msg).not.toContain(pkcs1.split('\n')[1]);
  });

  it('refuses a key shorter than 2048 bits', () => {
    expect(codeOf(() => loadMerchantPrivateKey(rsaPair(1024).privatePem))).toMatch(
      /^PS_ERR_KEY_TOO_SHORT: .*1024 bits.*paystream keys generate/,
    );
  });

  it('refuses a non-RSA key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(codeOf(() => loadMerchantPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()))).toMatch(
      /^PS_ERR_KEY_NOT_RSA: .*ec key/,
    );
  });

  it('refuses unreadable or truncated PEM and encrypted keys', () => {
    expect(codeOf(() => loadMerchantPrivateKey('not a key'))).toMatch(/^PS_ERR_KEY_UNREADABLE/);
    expect(codeOf(() => loadMerchantPrivateKey(good.privatePem.slice(0, 200) + '\n-----END PRIVATE KEY-----\n'))).toMatch(
      /^PS_ERR_KEY_UNREADABLE/,
    );
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    expect(codeOf(() => loadMerchantPrivateKey(encrypted))).toMatch(/^PS_ERR_KEY_ENCRYPTED/);
  });
});

describe('encrypted PKCS#8 merchant keys', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const passphrase = 'correct horse battery staple';
  const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
  const field = 'merchants.default.privateKeyPassphraseFile';

  it('decrypts with the configured passphrase to the same key', () => {
    const key = loadMerchantPrivateKey(encrypted, 'The key', { field, read: () => passphrase });
    expect(spkiFingerprint(key)).toBe(spkiFingerprint(privateKey));
  });

  it('names the missing passphrase setting when none is configured', () => {
    expect(codeOf(() => loadMerchantPrivateKey(encrypted, 'The key', { field, read: undefined }))).toBe(
      `PS_ERR_KEY_ENCRYPTED: The key is encrypted and no passphrase is configured: set ${field} to a file or env:VARIABLE holding it`,
    );
  });

  it('refuses a wrong passphrase clearly, never echoing it', () => {
    const wrong = 'not-the-passphrase-1234';
    const msg = codeOf(() => loadMerchantPrivateKey(encrypted, 'The key', { field, read: () => wrong }));
    expect(msg).toMatch(/^PS_ERR_KEY_PASSPHRASE: The key could not be decrypted with the passphrase of merchants\.default\./);
    expect(msg).not.toContain(wrong);
  });

  it('still checks the decrypted key is RSA of at least 2048 bits', () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
      .toString();
    expect(codeOf(() => loadMerchantPrivateKey(short, 'The key', { field, read: () => passphrase }))).toMatch(/^PS_ERR_KEY_TOO_SHORT/);
  });
});

describe('public keys and fingerprints', () => {
  it('loads SPKI PEM and fingerprints private and public halves alike', () => {
    const pair = rsaPair();
    const pub = loadRsaPublicKey(pair.publicPem);
    const priv = loadMerchantPrivateKey(pair.privatePem);
    expect(spkiFingerprint(pub)).toMatch(/^[0-9a-f]{64}$/);
    expect(spkiFingerprint(priv)).toBe(spkiFingerprint(pub));
    expect(keyId(pub)).toBe(spkiFingerprint(pub).slice(0, 16));
  });

  it('refuses a private key where a public key is expected', () => {
    expect(codeOf(() => loadRsaPublicKey(rsaPair().privatePem))).toMatch(/^PS_ERR_KEY_UNREADABLE/);
  });
});
