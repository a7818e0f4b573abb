import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../src/config/schema.ts';
import { createCore } from '../src/container.ts';
import { aesKeyId } from '../src/events/event-crypto.ts';
import { keyId } from '../src/keys/pem.ts';
import { createLogger } from '../src/log/logger.ts';
import { NotificationVerifier } from '../src/signing/notification-verifier.ts';
import { clientFixture, configInput, useFakeMidtrans, type ClientFixture } from './client-fixture.ts';

const fake = useFakeMidtrans();
let fx: ClientFixture;
beforeAll(async () => {
  fx = await clientFixture(fake);
});
afterAll(async () => {
  await fx.close();
});

describe('createCore', () => {
  it('builds every service from configuration', async () => {
    const signing = join(fx.dir, 'event-signing.pem');
    const encryption = join(fx.dir, 'event-encryption.key');
    const ca = join(fx.dir, 'ca.pem');
    writeFileSync(signing, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(encryption, randomBytes(32).toString('base64'), { mode: 0o600 });
    writeFileSync(ca, fake.pki.caPem);
    const config = parseCoreConfig(
      configInput(fx, { tls: { caFiles: [ca] }, events: { signingKeyFiles: [signing], encryptionKeyFiles: [encryption] } }),
    );
    const quiet = createLogger({ name: 't', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() }));
    const core = await createCore(config, { logger: quiet, watchKeys: false });
    expect((await core.client.snap({ path: '/v1.0/debit/status', externalId: 'x', body: {} })).ok).toBe(true);
    expect(core.eventSigner.publicKeys()).toHaveLength(1);
    expect(core.verifier).toBeInstanceOf(NotificationVerifier);
    expect(core.config).toBe(config);
    await core.close();
  });

  it('rotates the event keys with the key ring (a replaced file, or the reload SIGHUP makes): the new key signs, the old stays published, a bad key changes nothing', async () => {
    const ed25519 = (): string => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const replace = (file: string, content: string): void => {
      writeFileSync(`${file}.next`, content, { mode: 0o600 });
      renameSync(`${file}.next`, file);
    };
    const [current, previous, encryption] = ['event-signing.pem', 'event-signing-previous.pem', 'event-encryption.key'].map((f) =>
      join(fx.dir, f),
    ) as [string, string, string];
    const first = ed25519();
    writeFileSync(current, first, { mode: 0o600 });
    writeFileSync(previous, first, { mode: 0o600 });
    writeFileSync(encryption, randomBytes(32).toString('base64'), { mode: 0o600 });
    const config = parseCoreConfig(configInput(fx, { events: { signingKeyFiles: [current, previous], encryptionKeyFiles: [encryption] } }));
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      { name: 't', level: 'info' },
      new Writable({ write: (c: Buffer, _e, d) => d(void lines.push(JSON.parse(c.toString()) as Record<string, unknown>)) }),
    );
    const core = await createCore(config, { logger });
    const idOf = (pem: string): string => keyId(createPublicKey(pem));
    const signedBy = (pem: string): boolean => {
      const s = core.eventSigner.sign(Buffer.from('event'));
      return s.keyId === idOf(pem) && verify(null, Buffer.from('event'), createPublicKey(pem), Buffer.from(s.signature, 'base64url'));
    };
    expect(signedBy(first)).toBe(true);

    // The operator's rotation: the new key first, the old one kept published for events signed before.
    const second = ed25519();
    const newAes = randomBytes(32);
    replace(current, second);
    replace(encryption, newAes.toString('base64'));
    await expect.poll(() => signedBy(second), { timeout: 10_000 }).toBe(true);
    expect(core.eventSigner.publicKeys().map((k) => k.keyId)).toEqual([idOf(second), idOf(first)]);
    await expect.poll(() => core.fieldCipher.encrypt('customer.email', 'a@b.c').kid).toBe(aesKeyId(newAes));
    expect(lines.filter((l) => l['msg'] === 'key material reloaded').at(-1)?.['eventSigningKeys']).toEqual([idOf(second), idOf(first)]);

    // Not an Ed25519 key: refused at reload, the keys in use stay.
    replace(current, readFileSync(fx.files.privateKey, 'utf8'));
    await core.keyRing.reload();
    await expect.poll(() => lines.some((l) => l['msg'] === 'event key reload failed; the previous event keys stay in use')).toBe(true);
    expect(signedBy(second)).toBe(true);
    await core.close();
  });

  it('refuses event keys and the TLS client key that group or others may read, and names a failed field without its value', async () => {
    const signing = join(fx.dir, 'insecure-signing.pem');
    const encryption = join(fx.dir, 'insecure-encryption.key');
    writeFileSync(signing, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(encryption, randomBytes(32).toString('base64'), { mode: 0o644 });
    const events = { signingKeyFiles: [signing], encryptionKeyFiles: [encryption] };
    const base = configInput(fx, { events });
    const quiet = createLogger({ name: 't', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() }));
    await expect(createCore(parseCoreConfig(base), { logger: quiet, watchKeys: false })).rejects.toMatchObject({
      code: 'PS_ERR_KEY_PERMISSIONS',
      message: expect.stringMatching(/^events\.encryptionKeyFiles\.0: .*chmod 600 /) as unknown,
    });
    const clientKey = join(fx.dir, 'client-tls.key');
    writeFileSync(clientKey, readFileSync(fx.files.privateKey), { mode: 0o640 });
    chmodSync(encryption, 0o600);
    const withTls = { ...base, tls: { clientCertFile: fx.files.midtransKey, clientKeyFile: clientKey } };
    await expect(createCore(parseCoreConfig(withTls), { logger: quiet, watchKeys: false })).rejects.toMatchObject({
      code: 'PS_ERR_KEY_PERMISSIONS',
      message: expect.stringContaining('tls.clientKeyFile') as unknown,
    });
    const pasted = randomBytes(32).toString('base64');
    const err: unknown = await createCore(parseCoreConfig({ ...base, events: { ...events, encryptionKeyFiles: [pasted] } }), {
      logger: quiet,
      watchKeys: false,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'PS_ERR_KEY_MISSING',
      message: 'events.encryptionKeyFiles.0: cannot read the file it names (no such file)',
    });
    expect(`${String(err)} ${JSON.stringify(err)} ${(err as Error).stack ?? ''}`).not.toContain(pasted);
  });

  it('refuses to start without event keys, naming what is missing', async () => {
    const config = parseCoreConfig(configInput(fx));
    await expect(createCore(config, { watchKeys: false })).rejects.toThrow(/no event-signing key is configured/);
  });

  it('names plain private key files in a warning in production, and stays quiet once they are encrypted', async () => {
    const passphrase = 'a passphrase of the test';
    const ed25519 = generateKeyPairSync('ed25519').privateKey;
    const [plainSigning, encryptedSigning, encryption, encryptedMerchant] = ['s.pem', 's.enc.pem', 'e.key', 'm.enc.pem'].map((f) =>
      join(fx.dir, `production-${f}`),
    ) as [string, string, string, string];
    writeFileSync(plainSigning, ed25519.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(encryptedSigning, ed25519.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }), { mode: 0o600 });
    writeFileSync(encryption, randomBytes(32).toString('base64'), { mode: 0o600 });
    const merchantPem = readFileSync(fx.files.privateKey, 'utf8');
    const { createPrivateKey } = await import('node:crypto');
    const merchantKey = createPrivateKey(merchantPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase });
    writeFileSync(encryptedMerchant, merchantKey, { mode: 0o600 });
    const warnings = async (config: ReturnType<typeof parseCoreConfig>): Promise<string[]> => {
      const lines: Record<string, unknown>[] = [];
      const logger = createLogger(
        { name: 't', level: 'warn' },
        new Writable({ write: (c: Buffer, _e, d) => d(void lines.push(JSON.parse(c.toString()) as Record<string, unknown>)) }),
      );
      const core = await createCore(config, { logger, watchKeys: false });
      await core.close();
      return lines.map((l) => String(l['msg']));
    };
    const before = process.env['NODE_ENV'];
    process.env['PAYSTREAM_TEST_PASSPHRASE'] = passphrase;
    try {
      process.env['NODE_ENV'] = 'production';
      const plain = parseCoreConfig(configInput(fx, { events: { signingKeyFiles: [plainSigning], encryptionKeyFiles: [encryption] } }));
      expect(await warnings(plain)).toEqual([
        'merchant private keys are unencrypted files: encrypt them (paystream keys encrypt) or move them to an HSM or KMS, and set security.requireEncryptedKeys',
        'event-signing keys are unencrypted files: encrypt them (paystream keys encrypt) and set events.signingKeyPassphraseFile',
      ]);
      const events = {
        signingKeyFiles: [encryptedSigning],
        signingKeyPassphraseFile: 'env:PAYSTREAM_TEST_PASSPHRASE',
        encryptionKeyFiles: [encryption],
      };
      const merchant = { privateKeyFile: encryptedMerchant, privateKeyPassphraseFile: 'env:PAYSTREAM_TEST_PASSPHRASE' };
      expect(await warnings(parseCoreConfig(configInput(fx, { events }, merchant)))).toEqual([]);
      process.env['NODE_ENV'] = 'test';
      expect(await warnings(plain)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = before;
      delete process.env['PAYSTREAM_TEST_PASSPHRASE'];
    }
  });
});
