// The merchant key behind a Signer, through the client against a local HTTPS server: an encrypted
// key file signs the token request, a plain one is refused when encryption is required, and a key
// that cannot sign (an HSM or KMS away) sends nothing and says why.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../src/config/schema.ts';
import { KeyError } from '../src/errors.ts';
import { codes } from '../src/error-catalogue/index.ts';
import { FileKeySource, KeyRing, type KeyMaterial, type KeySource } from '../src/keys/key-ring.ts';
import { keyId, spkiFingerprint } from '../src/keys/pem.ts';
import { MERCHANT_SIGNATURE_ALGORITHM, probeSigner, type Signer, type SignerStatus } from '../src/keys/signer.ts';
import { MidtransClient } from '../src/midtrans/client.ts';
import { MidtransError } from '../src/midtrans/facade.ts';
import { clientFixture, closeFixtureAfterEach, configInput, useFakeMidtrans, type ClientFixture } from './client-fixture.ts';

const fake = useFakeMidtrans();
let fx: ClientFixture;
closeFixtureAfterEach(fake, () => fx);
const status = { path: '/v1.0/debit/status', externalId: 'e', body: { originalPartnerReferenceNo: 'o' } } as const;
const PASSPHRASE = 'a passphrase nobody logs';

/** A signer whose key is away, as an HSM without its token is. */
class AwaySigner implements Signer {
  readonly kind = 'pkcs11' as const;
  readonly algorithm = MERCHANT_SIGNATURE_ALGORITHM;
  readonly fingerprint: string;
  readonly keyId: string;
  readonly location = 'pkcs11 token "t" key "k"';
  readonly publicKey: KeyObject;
  constructor(publicKey: KeyObject) {
    this.publicKey = publicKey;
    this.fingerprint = spkiFingerprint(publicKey);
    this.keyId = keyId(publicKey);
  }
  sign(): Promise<Buffer> {
    return Promise.reject(
      new KeyError(codes.PS_ERR_SIGNER_UNAVAILABLE, {
        what: 'The key',
        location: this.location,
        reason: 'no token labelled "t" is present',
      }),
    );
  }
  status(): SignerStatus {
    return { ready: false, reason: 'no token labelled "t" is present' };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('the merchant key behind a signer', () => {
  it('signs the token request with an encrypted PKCS#8 key file and its passphrase from the environment', async () => {
    fx = await clientFixture(fake);
    const { privateKey, publicKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('rsa', { modulusLength: 2048 }));
    const file = join(fx.dir, 'merchant.enc.pem');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }), {
      mode: 0o600,
    });
    const config = parseCoreConfig(
      configInput(
        fx,
        { security: { requireEncryptedKeys: true } },
        { privateKeyFile: file, privateKeyPassphraseFile: 'env:TEST_MERCHANT_PASSPHRASE' },
      ),
    );
    const ring = await KeyRing.open(new FileKeySource(config, { TEST_MERCHANT_PASSPHRASE: PASSPHRASE }), 'default', { watch: false });
    const client = new MidtransClient({ config, keyRing: ring, tls: { caPem: [fake.pki.caPem] } });
    try {
      expect(ring.merchant().signer).toMatchObject({ kind: 'file', fingerprint: spkiFingerprint(publicKey) });
      expect(ring.merchant().plainKeyFile).toBe(false);
      expect((await client.snap(status)).ok).toBe(true);
      const tokenReq = fake.requests.findLast((r) => r.path.endsWith('/access-token/b2b'))!;
      const data = Buffer.from(`c|${String(tokenReq.headers['x-timestamp'])}`);
      expect(verify('RSA-SHA256', data, publicKey, Buffer.from(String(tokenReq.headers['x-signature']), 'base64'))).toBe(true);
    } finally {
      await client.close();
      await ring.close();
    }
  });

  it('refuses a plain key file under requireEncryptedKeys, and a wrong passphrase, without echoing it', async () => {
    fx = await clientFixture(fake);
    const plain = parseCoreConfig(configInput(fx, { security: { requireEncryptedKeys: true } }));
    await expect(KeyRing.open(new FileKeySource(plain), 'default', { watch: false })).rejects.toMatchObject({
      code: 'PS_ERR_KEY_NOT_ENCRYPTED',
      message: expect.stringContaining('The private key of merchant "default" is a plain private key file') as unknown,
    });
    const { privateKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('rsa', { modulusLength: 2048 }));
    const file = join(fx.dir, 'merchant.enc.pem');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }), {
      mode: 0o600,
    });
    const wrong = parseCoreConfig(configInput(fx, {}, { privateKeyFile: file, privateKeyPassphraseFile: 'env:P' }));
    const opened = KeyRing.open(new FileKeySource(wrong, { P: 'the wrong passphrase' }), 'default', { watch: false });
    await expect(opened).rejects.toMatchObject({ code: 'PS_ERR_KEY_PASSPHRASE' });
    expect(await opened.catch((err: unknown) => String(err))).not.toContain('the wrong passphrase');
    const none = parseCoreConfig(configInput(fx, {}, { privateKeyFile: file }));
    await expect(KeyRing.open(new FileKeySource(none), 'default', { watch: false })).rejects.toMatchObject({
      code: 'PS_ERR_KEY_ENCRYPTED',
      message: expect.stringContaining('merchants.default.privateKeyPassphraseFile') as unknown,
    });
  });

  it('sends nothing when the key cannot sign: a key-unavailable error with the reason, not a breaker failure', async () => {
    fx = await clientFixture(fake);
    const config = parseCoreConfig(configInput(fx));
    const files = await new FileKeySource(config).load();
    const away = new AwaySigner(createPublicKey(fx.merchantPublicPem));
    const merchant = files.merchants.get('default')!;
    const source: KeySource = {
      load: (): Promise<KeyMaterial> => Promise.resolve({ ...files, merchants: new Map([['default', { ...merchant, signer: away }]]) }),
    };
    const ring = await KeyRing.open(source, 'default', { watch: false });
    const client = new MidtransClient({ config, keyRing: ring, tls: { caPem: [fake.pki.caPem] } });
    const sent = fake.requests.length;
    try {
      const errors = await Promise.all(Array.from({ length: 12 }, () => client.snap(status).catch((err: unknown) => err)));
      for (const err of errors) {
        expect(MidtransError.is(err) && err.kind).toBe('key-unavailable');
        expect((err as Error).message).toContain('no token labelled "t" is present');
      }
      expect(fake.requests.length).toBe(sent);
      expect(client.breakerStates().filter((b) => b.state !== 'closed')).toEqual([]);
      expect(await probeSigner(away)).toEqual({
        ready: false,
        reason: expect.stringContaining('cannot sign now (pkcs11 token "t" key "k")') as unknown,
      });
    } finally {
      await client.close();
      await ring.close();
    }
  });
});
