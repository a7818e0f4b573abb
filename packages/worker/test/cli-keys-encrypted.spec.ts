// Merchant and event-signing keys encrypted at rest, through the real CLI as an operator runs it:
// `keys generate --encrypt` and `keys encrypt` write encrypted PKCS#8, `keys check` and `config check`
// read them with the configured passphrase, and a wrong passphrase or (under requireEncryptedKeys) a
// plain key file is refused with what to do, the passphrase never shown.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli-run.ts';
import { formatKeyReference, spkiFingerprint } from '@paystream/core';

const dir = mkdtempSync(join(tmpdir(), 'paystream-keys-encrypted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The armour label of encrypted PKCS#8, spelled out once. */
const ENCRYPTED_ARMOUR = ['ENCRYPTED', 'PRIVATE', 'KEY'].join(' ');
const PASSPHRASE = `pass-${randomBytes(9).toString('hex')}`;

function file(name: string, content: string | Buffer, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode });
  return path;
}

const ed25519 = generateKeyPairSync('ed25519').privateKey;
const files = {
  clientSecret: file('client-secret', randomBytes(24).toString('base64url')),
  midtransKey: file(
    'midtrans.pub.pem',
    generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }),
    0o644,
  ),
  signingPlain: file('event-signing.pem', ed25519.export({ type: 'pkcs8', format: 'pem' })),
  signingEncrypted: file(
    'event-signing.enc.pem',
    ed25519.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }),
  ),
  encryption: file('event-encryption.key', randomBytes(32).toString('base64')),
};

function configFile(name: string, merchant: Record<string, string>, extra: Record<string, unknown> = {}): string {
  const signing = merchant['signing'] ?? files.signingEncrypted;
  const { signing: _omit, ...fields } = merchant;
  const config = {
    kafka: { brokers: ['127.0.0.1:19092'], topicPrefix: `keys-encrypted-${randomBytes(4).toString('hex')}.` },
    plugins: ['gopay'],
    core: {
      snapBaseUrl: 'https://127.0.0.1:9',
      coreBaseUrl: 'https://127.0.0.1:9',
      merchants: { default: { clientId: 'c-1', partnerId: 'p-1', channelId: '12345', clientSecretFile: files.clientSecret, ...fields } },
      midtransPublicKeyFiles: [files.midtransKey],
      events: {
        signingKeyFiles: [signing],
        ...(signing === files.signingEncrypted ? { signingKeyPassphraseFile: 'env:EVENT_KEY_PASSPHRASE' } : {}),
        encryptionKeyFiles: [files.encryption],
      },
      ...extra,
    },
  };
  return file(name, JSON.stringify(config), 0o644);
}

const env = { MERCHANT_KEY_PASSPHRASE: PASSPHRASE, EVENT_KEY_PASSPHRASE: PASSPHRASE };

describe('merchant keys encrypted at rest', () => {
  it(
    'keys generate --encrypt writes an encrypted key that keys check and config check read with its passphrase',
    { timeout: 90_000 },
    async () => {
      const out = join(dir, 'generated');
      const gen = await cli(
        ['keys', 'generate', '--out', out, '--encrypt', '--passphrase-file', 'env:MERCHANT_KEY_PASSPHRASE', '--json'],
        env,
      );
      expect(gen.code, gen.output).toBe(0);
      expect(gen.output).not.toContain(PASSPHRASE);
      const info = JSON.parse(gen.output) as { privateKey: string; publicKey: string; fingerprint: string; encrypted: boolean };
      expect(info.encrypted).toBe(true);
      const pem = readFileSync(info.privateKey, 'utf8');
      expect(pem).toContain(`-----BEGIN ${ENCRYPTED_ARMOUR}-----`);
      expect(statSync(info.privateKey).mode & 0o777).toBe(0o600);
      expect(spkiFingerprint(createPrivateKey({ key: pem, passphrase: PASSPHRASE }))).toBe(info.fingerprint);

      const fileCheck = await cli(['keys', 'check', info.privateKey, '--passphrase-file', 'env:MERCHANT_KEY_PASSPHRASE'], env);
      expect(fileCheck.code, fileCheck.output).toBe(0);
      expect(fileCheck.output).toContain(`ok   ${info.privateKey}: RSA 2048 private key, SPKI SHA-256 ${info.fingerprint}`);
      expect((await cli(['keys', 'check', info.privateKey], env)).output).toContain(
        'is encrypted and no passphrase is configured: set --passphrase-file',
      );
      const publicKey = createPublicKey(readFileSync(info.publicKey));
      const reference = file('hsm.ref', formatKeyReference('pkcs11:token=paystream;object=merchant', publicKey));
      const referenceCheck = await cli(['keys', 'check', reference]);
      expect(referenceCheck.code, referenceCheck.output).toBe(0);
      expect(referenceCheck.output).toContain(
        `ok   ${reference}: RSA 2048 pkcs11 key reference, its public key, SPKI SHA-256 ${info.fingerprint}`,
      );

      const config = configFile(
        'encrypted.json',
        { privateKeyFile: info.privateKey, privateKeyPassphraseFile: 'env:MERCHANT_KEY_PASSPHRASE' },
        { security: { requireEncryptedKeys: true } },
      );
      const check = await cli(['keys', 'check', '--config', config], env);
      expect(check.code, check.output).toBe(0);
      expect(check.output).toContain(
        `ok      default: encrypted file (file ${info.privateKey}), SPKI SHA-256 ${info.fingerprint}, probe signature verified`,
      );
      const configCheck = await cli(['config', 'check', '--config', config, '--json'], env);
      expect(configCheck.code, configCheck.output).toBe(0);
      expect(configCheck.output).not.toContain(PASSPHRASE);
      const report = JSON.parse(configCheck.output) as { keys: { merchantKeys: { store: string; probe: string }[] } };
      expect(report.keys.merchantKeys).toEqual([expect.objectContaining({ store: 'encrypted file', probe: 'verified' })]);
    },
  );

  it(
    'refuses a wrong passphrase, a missing one, a short one, and a plain key under requireEncryptedKeys',
    { timeout: 90_000 },
    async () => {
      const out = join(dir, 'refusals');
      expect(
        (await cli(['keys', 'generate', '--out', out, '--encrypt', '--passphrase-file', 'env:MERCHANT_KEY_PASSPHRASE'], env)).code,
      ).toBe(0);
      const encrypted = join(out, 'merchant-private.pem');
      const wrongPassphrase = 'this-is-not-the-passphrase';
      const withPassphrase = configFile('wrong.json', {
        privateKeyFile: encrypted,
        privateKeyPassphraseFile: 'env:MERCHANT_KEY_PASSPHRASE',
      });
      const wrong = await cli(['keys', 'check', '--config', withPassphrase], { ...env, MERCHANT_KEY_PASSPHRASE: wrongPassphrase });
      expect(wrong.code).toBe(78);
      expect(wrong.output).toContain(
        'PS_ERR_KEY_PASSPHRASE: The private key of merchant "default" could not be decrypted with the passphrase of merchants.default.privateKeyPassphraseFile',
      );
      expect(wrong.output).not.toContain(wrongPassphrase);
      const none = await cli(['config', 'check', '--config', configFile('none.json', { privateKeyFile: encrypted })], env);
      expect(none.code).toBe(78);
      expect(none.output).toContain('PS_ERR_KEY_ENCRYPTED');
      expect(none.output).toContain('set merchants.default.privateKeyPassphraseFile');
      const short = await cli(['keys', 'generate', '--out', join(dir, 'short'), '--encrypt', '--passphrase-file', 'env:P'], { P: 'short' });
      expect(short.code).not.toBe(0);
      expect(short.output).toContain('shorter than 12 characters');
      expect(() => statSync(join(dir, 'short', 'merchant-private.pem'))).toThrow();

      const plainKey = file(
        'plain.pem',
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
      );
      const strict = { security: { requireEncryptedKeys: true } };
      const plain = await cli(['config', 'check', '--config', configFile('plain.json', { privateKeyFile: plainKey }, strict)], env);
      expect(plain.code).toBe(78);
      expect(plain.output).toContain('PS_ERR_KEY_NOT_ENCRYPTED: The private key of merchant "default" is a plain private key file');
      const plainEvents = configFile(
        'plain-events.json',
        { privateKeyFile: encrypted, privateKeyPassphraseFile: 'env:MERCHANT_KEY_PASSPHRASE', signing: files.signingPlain },
        strict,
      );
      const refusedEvents = await cli(['config', 'check', '--config', plainEvents], env);
      expect(refusedEvents.code).toBe(78);
      expect(refusedEvents.output).toContain('PS_ERR_KEY_NOT_ENCRYPTED: The event-signing key of events.signingKeyFiles.0');
    },
  );

  it('keys encrypt writes an encrypted copy of the same key, owner-only, and never overwrites', { timeout: 60_000 }, async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const plain = file('to-encrypt.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const target = join(dir, 'to-encrypt.enc.pem');
    const args = ['keys', 'encrypt', '--in', plain, '--out', target, '--passphrase-file', 'env:MERCHANT_KEY_PASSPHRASE'];
    const first = await cli(args, env);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain(spkiFingerprint(privateKey));
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(spkiFingerprint(createPrivateKey({ key: readFileSync(target, 'utf8'), passphrase: PASSPHRASE }))).toBe(
      spkiFingerprint(privateKey),
    );
    const again = await cli(args, env);
    expect(again.code).toBe(73);
    expect(
      (
        await cli(
          ['keys', 'encrypt', '--in', target, '--out', join(dir, 'twice.pem'), '--passphrase-file', 'env:MERCHANT_KEY_PASSPHRASE'],
          env,
        )
      ).output,
    ).toContain('is already encrypted');
  });
});
