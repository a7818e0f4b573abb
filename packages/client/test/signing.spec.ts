import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codes, commandKeyId, commandSigner, PaystreamClientError } from '../src/index.ts';

describe('commandSigner', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  it('signs the exact bytes of the value and names the key', () => {
    const value = Buffer.from('{"orderId":"o"}');
    const headers = commandSigner({ privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })(value);
    expect(headers['paystream-key-id']).toBe(commandKeyId(publicKey));
    expect(headers['paystream-key-id']).toMatch(/^[0-9a-f]{16}$/);
    expect(verify(null, value, publicKey, Buffer.from(headers['paystream-signature'] ?? '', 'base64'))).toBe(true);
  });

  it('refuses a key that is not Ed25519, a public key, unreadable text and a key id that is not its own', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    for (const key of [
      { privateKey: rsa },
      { privateKey: publicKey },
      { privateKey: 'not a key' },
      { privateKey, keyId: '0000000000000000' },
    ]) {
      let error: unknown;
      try {
        commandSigner(key);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PaystreamClientError);
      expect((error as PaystreamClientError).code).toBe(codes.PS_ERR_CLIENT_SIGNING_KEY);
      expect((error as PaystreamClientError).message).not.toContain('PRIVATE');
    }
  });
});
