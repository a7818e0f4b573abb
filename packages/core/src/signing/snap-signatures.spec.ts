import { createHash, createHmac, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rsaPair } from '../../test/keys.ts';
import {
  coreBasicAuth,
  coreSignatureKey,
  hmacSha512Base64,
  minifyJsonBytes,
  notificationStringToSign,
  tokenSignature,
  transactionSignature,
  transactionStringToSign,
  verifyCoreSignatureKey,
  verifyNotificationSignature,
  verifyTokenSignature,
} from './snap-signatures.ts';

const enc = new TextEncoder();
const pair = rsaPair();
const privateKey = createPrivateKey(pair.privatePem);
const publicKey = createPublicKey(pair.publicPem);

describe('B2B access token signature', () => {
  it('is SHA256withRSA over clientId|X-TIMESTAMP in base64 and verifies with the public key', () => {
    const sig = tokenSignature('client-1', '2024-03-15T10:30:00+07:00', privateKey);
    const expected = sign('RSA-SHA256', Buffer.from('client-1|2024-03-15T10:30:00+07:00'), privateKey).toString('base64');
    expect(sig).toBe(expected);
    expect(verifyTokenSignature('client-1', '2024-03-15T10:30:00+07:00', sig, publicKey)).toBe(true);
    expect(verifyTokenSignature('client-1', '2024-03-15T10:30:01+07:00', sig, publicKey)).toBe(false);
  });
});

describe('transactional signature', () => {
  const body = enc.encode('{"partnerReferenceNo":"order-1","amount":{"value":"10000.00","currency":"IDR"}}');
  const input = {
    method: 'post',
    path: '/v1.0/debit/payment-host-to-host',
    accessToken: 'tok',
    body,
    timestamp: '2024-03-15T10:30:00+07:00',
  };

  it('builds METHOD:path:token:lowerhex(sha256(body)):timestamp', () => {
    const hash = createHash('sha256').update(body).digest('hex');
    expect(transactionStringToSign(input)).toBe(`POST:/v1.0/debit/payment-host-to-host:tok:${hash}:2024-03-15T10:30:00+07:00`);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is base64 HMAC-SHA512 with the client secret', () => {
    const expected = createHmac('sha512', 'secret').update(transactionStringToSign(input)).digest('base64');
    expect(transactionSignature(input, 'secret')).toBe(expected);
    expect(transactionSignature(input, 'other')).not.toBe(expected);
  });

  it('hashes the exact bytes: re-serialising with other whitespace changes the signature', () => {
    const spaced = enc.encode('{"partnerReferenceNo": "order-1", "amount": {"value": "10000.00", "currency": "IDR"}}');
    expect(transactionSignature({ ...input, body: spaced }, 's')).not.toBe(transactionSignature(input, 's'));
  });

  it('reproduces the worked example of the Midtrans signature page', () => {
    const stringToSign =
      'POST:/v1.0/debit/payment-host-to-host:gp9HjjEj813Y9JGoqwOeOPWbnt4CupvIJbU1Mmu4a11MNDZ7Sg5u9a:56fa5f4999ad8014de49d7898c1d1d53472569db8999de3c1b752a0dd181e98c:2020-01-01T00:00:00+07:00';
    expect(hmacSha512Base64(stringToSign, 'fdppqbF5wq7vVegyvsV1CROMv646nJ7A')).toBe(
      'FSlidRHe4ow9qppNifGVQNcdv67lBjgCiP0BHylh+IKXo4fs2rHaGsFNUY0N8t0rPlZs4iAHAOCDklnCccwuJw==',
    );
  });

  it('hashes {} to the documented value', () => {
    expect(transactionStringToSign({ ...input, body: enc.encode('{}') })).toContain(
      ':44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a:',
    );
  });

  it('hashes an empty body as the SHA-256 of nothing', () => {
    expect(transactionStringToSign({ ...input, body: new Uint8Array() })).toContain(
      ':e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855:',
    );
  });
});

describe('notification verification', () => {
  const raw = enc.encode('{\n  "originalReferenceNo" : "A1",\n  "note": "a b\\" c",\n  "amount": {"value": "10000.00"}\n}');
  const ts = '2024-03-15T10:30:00+07:00';
  const path = '/v1.0/debit/notify';
  const signature = sign('RSA-SHA256', enc.encode(notificationStringToSign('POST', path, raw, ts)), privateKey).toString('base64');
  const base = { method: 'POST', path, rawBody: raw, timestamp: ts, signature };

  it('minifies whitespace outside strings only', () => {
    expect(new TextDecoder().decode(minifyJsonBytes(raw))).toBe(
      '{"originalReferenceNo":"A1","note":"a b\\" c","amount":{"value":"10000.00"}}',
    );
  });

  it('accepts the signature over the minified raw body', () => {
    expect(verifyNotificationSignature(base, publicKey)).toBe(true);
  });

  it('fails when any byte of body, path, timestamp or signature changes', () => {
    for (let i = 0; i < raw.length; i++) {
      const changed = raw.slice();
      changed[i] = changed[i] === 0x41 ? 0x42 : 0x41;
      const minifiedSame = Buffer.compare(minifyJsonBytes(changed), minifyJsonBytes(raw)) === 0;
      if (!minifiedSame) expect(verifyNotificationSignature({ ...base, rawBody: changed }, publicKey), `byte ${String(i)}`).toBe(false);
    }
    expect(verifyNotificationSignature({ ...base, path: '/v1.0/debit/notifx' }, publicKey)).toBe(false);
    expect(verifyNotificationSignature({ ...base, timestamp: '2024-03-15T10:30:01+07:00' }, publicKey)).toBe(false);
    const sigBytes = Buffer.from(signature, 'base64');
    sigBytes[10] = (sigBytes[10] ?? 0) ^ 1;
    expect(verifyNotificationSignature({ ...base, signature: sigBytes.toString('base64') }, publicKey)).toBe(false);
  });

  it('fails with another key', () => {
    expect(verifyNotificationSignature(base, createPublicKey(rsaPair().publicPem))).toBe(false);
  });
});

describe('Core API v2', () => {
  it('authenticates with Basic base64(serverKey + ":")', () => {
    expect(coreBasicAuth('server-key')).toBe(`Basic ${Buffer.from('server-key:').toString('base64')}`);
  });

  it('checks signature_key = sha512hex(order_id + status_code + gross_amount + server key)', () => {
    const key = createHash('sha512')
      .update('order-1200' + '10000.00' + 'sk')
      .digest('hex');
    expect(coreSignatureKey('order-1', '200', '10000.00', 'sk')).toBe(key);
    const body = { order_id: 'order-1', status_code: '200', gross_amount: '10000.00', signature_key: key };
    expect(verifyCoreSignatureKey(body, 'sk')).toBe(true);
    expect(verifyCoreSignatureKey({ ...body, gross_amount: '10001.00' }, 'sk')).toBe(false);
    expect(verifyCoreSignatureKey({ ...body, signature_key: key.slice(1) }, 'sk')).toBe(false);
    expect(verifyCoreSignatureKey({ ...body, status_code: 200 }, 'sk')).toBe(false);
    expect(verifyCoreSignatureKey(body, 'other')).toBe(false);
  });
});
