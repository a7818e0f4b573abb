import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventSigner, FieldCipher, aesKeyId } from './event-crypto.ts';

const ed = (): string => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('EventSigner', () => {
  it('signs with the newest key and publishes every key with its id', () => {
    const [newer, older] = [ed(), ed()];
    const signer = new EventSigner([newer, older]);
    const bytes = new TextEncoder().encode('{"id":"1"}');
    const { signature, keyId } = signer.sign(bytes);
    expect(signer.keyId).toBe(keyId);
    const published = signer.publicKeys();
    expect(published).toHaveLength(2);
    expect(published[0]!.keyId).toBe(keyId);
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(verify(null, bytes, createPublicKey(published[0]!.publicKeyPem), Buffer.from(signature, 'base64url'))).toBe(true);
    expect(
      verify(
        null,
        new TextEncoder().encode('{"id":"2"}'),
        createPublicKey(published[0]!.publicKeyPem),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(false);
  });

  it('refuses non-Ed25519 keys and an empty key list', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => new EventSigner([rsa])).toThrow(/Ed25519/);
    expect(() => new EventSigner([])).toThrow(/no event-signing key/);
  });
});

describe('FieldCipher', () => {
  it('never uses an IV twice', () => {
    const cipher = new FieldCipher([randomBytes(32)]);
    const ivs = Array.from({ length: 2_000 }, () => cipher.encrypt('customer.phone', '+6281234567890').iv);
    expect(new Set(ivs).size).toBe(ivs.length);
    expect(ivs.every((iv) => Buffer.from(iv, 'base64url').length === 12)).toBe(true);
  });

  it('round-trips with AAD bound to the field path, and decrypts with a rotated-out key', () => {
    const oldKey = randomBytes(32);
    const cipher = new FieldCipher([oldKey]);
    const enc = cipher.encrypt('customer.phone', '+6281234567890');
    expect(enc).toMatchObject({ alg: 'A256GCM', kid: aesKeyId(oldKey) });
    expect(JSON.stringify(enc)).not.toContain('6281234567890');
    expect(cipher.decrypt('customer.phone', enc)).toBe('+6281234567890');
    expect(() => cipher.decrypt('customer.email', enc)).toThrow();
    cipher.rotate([randomBytes(32), oldKey]);
    expect(cipher.decrypt('customer.phone', enc)).toBe('+6281234567890');
    expect(cipher.encrypt('customer.phone', 'x').kid).not.toBe(aesKeyId(oldKey));
  });

  it('detects tampering and refuses short keys', () => {
    const cipher = new FieldCipher([randomBytes(32)]);
    const enc = cipher.encrypt('a', { v: 1 });
    const ct = Buffer.from(enc.ct, 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    expect(() => cipher.decrypt('a', { ...enc, ct: ct.toString('base64url') })).toThrow();
    expect(() => new FieldCipher([randomBytes(16)])).toThrow(/32 bytes/);
  });
});
