// The merchant key and the event-signing key in encrypted PKCS#8 files, their passphrases from the
// environment, under security.requireEncryptedKeys: one payment per method through a worker process,
// every token signed with the key `keys generate --encrypt` made, every event verified downstream
// with the event key's public half, and the passphrase nowhere in what the worker wrote.
import { randomBytes } from 'node:crypto';
import type {} from '@paystream/kafka-broker/global-setup';
import { generateMerchantKey, type GeneratedKey, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { payAndVerify } from '../payment-runs.ts';
import { expectOnlyAcceptedTokens, registerOnly, startKeyStoreSystem, workerOutput } from './key-store-run.ts';

const PASSPHRASE = `merchant-${randomBytes(12).toString('hex')}`;
let system: PaystreamSystem | undefined;
let key: GeneratedKey;

beforeAll(async () => {
  const env = { PAYSTREAM_MERCHANT_KEY_PASSPHRASE: PASSPHRASE };
  key = await generateMerchantKey(['--encrypt', '--passphrase-file', 'env:PAYSTREAM_MERCHANT_KEY_PASSPHRASE'], env);
  system = await startKeyStoreSystem({
    name: 'key-encrypted-file',
    brokers: inject('kafkaBrokers'),
    merchantKey: { privateKeyFile: key.keyFile, privateKeyPassphraseFile: 'env:PAYSTREAM_MERCHANT_KEY_PASSPHRASE' },
    core: { security: { requireEncryptedKeys: true } },
    eventKeyPassphrase: PASSPHRASE,
    env,
  });
}, 240_000);

afterAll(async () => {
  await system?.close();
});

describe('the merchant key in an encrypted file', () => {
  it('pays one order per method with tokens signed by the decrypted key; the passphrase never shows', async () => {
    const s = system as PaystreamSystem;
    await registerOnly(s, key.publicKeyPem);
    await payAndVerify(s, 6, 'encrypted-key');
    expectOnlyAcceptedTokens(s);
    expect(workerOutput(s)).not.toContain(PASSPHRASE);
  });
});
