import { createCipheriv, createHash, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { canonicalEventBytes } from '@paystream/contracts';
import { describe, expect, it } from 'vitest';
import { decryptFields, encryptionKeyId, verifyEvent, type TrustedKey } from '../src/index.ts';

const signing = generateKeyPairSync('ed25519');
const kid = createHash('sha256')
  .update(createPublicKey(signing.privateKey).export({ type: 'spki', format: 'der' }))
  .digest('hex')
  .slice(0, 16);
const trusted: TrustedKey[] = [{ keyId: kid, publicKeyPem: signing.publicKey.export({ type: 'spki', format: 'pem' }).toString() }];
const aesKey = randomBytes(32);

function encrypt(path: string, value: unknown): Record<string, string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey, iv).setAAD(Buffer.from(path));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value)), cipher.final()]);
  return {
    alg: 'A256GCM',
    kid: encryptionKeyId(aesKey),
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const unsigned = {
    specversion: '1.0',
    id: '0f6b1a2c-3d4e-5f60-8a7b-9c0d1e2f3a4b',
    source: 'paystream/worker',
    type: 'paystream.command.rejected',
    time: '2026-12-07T10:00:00.000Z',
    datacontenttype: 'application/json',
    subject: 'order-1',
    data: { orderId: 'order-1', code: 'PS_ERR_COMMAND_INVALID', message: 'amount', topic: 't', partition: 0, offset: '1' },
    paystreamkid: kid,
    ...overrides,
  };
  return { ...unsigned, paystreamsig: sign(null, canonicalEventBytes(unsigned), signing.privateKey).toString('base64url') };
}

describe('verifyEvent', () => {
  it('accepts an event signed by a trusted key, as an object, JSON text or bytes', () => {
    const e = event();
    for (const value of [e, JSON.stringify(e), Buffer.from(JSON.stringify(e))])
      expect(verifyEvent(value, trusted)).toMatchObject({ valid: true, known: true, keyId: kid, event: { id: e['id'] } });
  });

  it('refuses a tampered event, an unknown key, and a value that is no JSON object', () => {
    expect(verifyEvent({ ...event(), subject: 'order-2' }, trusted)).toEqual({
      valid: false,
      reason: 'the signature does not match the event',
    });
    expect(verifyEvent(event(), [])).toEqual({ valid: false, reason: `no published key has id ${kid}` });
    expect(verifyEvent('{"id": ', trusted)).toEqual({ valid: false, reason: 'the value is not a JSON object' });
    expect(verifyEvent('[1]', trusted)).toEqual({ valid: false, reason: 'the value is not a JSON object' });
  });

  it('refuses events a retired key signed after the end of its overlap, and accepts those before', () => {
    const retiring = [{ ...trusted[0]!, notAfter: '2026-12-07T09:00:00Z' }];
    expect(verifyEvent(event(), retiring)).toEqual({ valid: false, reason: `key ${kid} was retired at 2026-12-07T09:00:00.000Z` });
    expect(verifyEvent(event({ time: '2026-12-07T08:59:59Z' }), retiring)).toMatchObject({ valid: true });
  });

  it('hands a signed event of a newer contract over as unknown instead of failing on it', () => {
    const verdict = verifyEvent(event({ type: 'paystream.payment.authorized' }), trusted);
    expect(verdict).toMatchObject({ valid: true, known: false, keyId: kid });
  });
});

describe('decryptFields', () => {
  it('decrypts every encrypted field of the data by its path, with the key given as bytes or base64', () => {
    const data = { customer: { phone: encrypt('customer.phone', '+6281234567890'), email: encrypt('customer.email', 'a@b.example') } };
    for (const key of [aesKey, aesKey.toString('base64')])
      expect(decryptFields({ data }, [{ key }])).toEqual({
        values: { 'customer.phone': '+6281234567890', 'customer.email': 'a@b.example' },
        undecrypted: [],
      });
  });

  it('lists fields under a key it was not given, and fails on a field moved to another path', () => {
    const data = { customer: { phone: encrypt('customer.phone', '+62812') } };
    expect(decryptFields({ data }, [])).toEqual({ values: {}, undecrypted: ['customer.phone'] });
    expect(() => decryptFields({ data: { customer: { email: data.customer.phone } } }, [{ key: aesKey }])).toThrow();
  });
});
