import { createCipheriv, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { canonicalEventBytes, canonicalJson } from './canonical.ts';
import { eventId, ResultEvent } from './event.ts';
import { decryptField, verifyEvent } from './verify.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const published = [{ keyId: '0123456789abcdef', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }];

function signed(): Record<string, unknown> {
  const commandId = randomUUID();
  const event: Record<string, unknown> = {
    specversion: '1.0',
    id: eventId(commandId, 'paystream.payment.succeeded', '0'),
    source: 'paystream/worker',
    type: 'paystream.payment.succeeded',
    subject: 'order-1',
    time: '2026-11-24T03:00:00.000Z',
    datacontenttype: 'application/json',
    paystreamkid: '0123456789abcdef',
    data: {
      orderId: 'order-1',
      commandId,
      method: 'gopay',
      amount: { value: 150000, currency: 'IDR' },
      status: 'succeeded',
      midtrans: { referenceNo: 'A1', responseCode: '2005500' },
      verification: 'notification+inquiry',
      customerAuthentication: { description: 'Customer authenticates within the GoPay/Gojek app', factors: ['PIN', 'device possession'] },
    },
  };
  event['paystreamsig'] = sign(null, canonicalEventBytes(event), privateKey).toString('base64url');
  return event;
}

describe('result events', () => {
  it('are valid CloudEvents 1.0 and match the contract', () => {
    const event = signed();
    expect(ResultEvent.safeParse(event).success).toBe(true);
    expect(() => new CloudEvent(event, true).validate()).not.toThrow();
  });

  it('verify with the published public key alone, and fail on any change', () => {
    const event = signed();
    expect(verifyEvent(event, published)).toEqual({ valid: true, keyId: '0123456789abcdef' });
    const tampered = structuredClone(event);
    (tampered['data'] as { amount: { value: number } }).amount.value = 1;
    expect(verifyEvent(tampered, published).valid).toBe(false);
    expect(verifyEvent({ ...event, paystreamkid: 'ffffffffffffffff' }, published)).toMatchObject({
      valid: false,
      reason: 'no published key has id ffffffffffffffff',
    });
    const { paystreamsig: _s, ...unsigned } = event;
    expect(verifyEvent(unsigned, published).valid).toBe(false);
  });

  it('sign key order independently (RFC 8785)', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'é'], c: { z: 1.5e21, y: 0.1 } })).toBe(
      '{"a":[true,null,"é"],"b":1,"c":{"y":0.1,"z":1.5e+21}}',
    );
  });

  it('get deterministic ids, so a republished result can be deduplicated', () => {
    const id = eventId('c-1', 'paystream.payment.succeeded', '0');
    expect(id).toBe(eventId('c-1', 'paystream.payment.succeeded', '0'));
    expect(id).not.toBe(eventId('c-1', 'paystream.payment.failed', '0'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('encrypted fields', () => {
  it('decrypt with the right key and path only', () => {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from('customer.phone'));
    const ct = Buffer.concat([c.update(JSON.stringify('+6281234567890')), c.final()]);
    const field = {
      alg: 'A256GCM',
      kid: 'aaaaaaaaaaaaaaaa',
      iv: iv.toString('base64url'),
      ct: ct.toString('base64url'),
      tag: c.getAuthTag().toString('base64url'),
    };
    const keys = new Map([['aaaaaaaaaaaaaaaa', key]]);
    expect(decryptField(field, 'customer.phone', keys)).toBe('+6281234567890');
    expect(() => decryptField(field, 'customer.email', keys)).toThrow();
    expect(() => decryptField(field, 'customer.phone', new Map())).toThrow(/no event-encryption key/);
  });
});
