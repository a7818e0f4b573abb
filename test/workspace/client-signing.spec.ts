// A command the client signs is one the worker's command authentication accepts: same key id, same
// headers, a signature over the exact bytes published — and a byte changed after signing is refused.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCommand, commandSigner } from '@paystream/client';
import { commandKeyId, verifyCommand, type UpstreamKey } from '@paystream/core';

describe('a command signed by @paystream/client', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const grant = { name: 'checkout', methods: ['gopay'], types: ['payment.charge'] };
  const key: UpstreamKey = { keyId: commandKeyId(publicKey), fingerprint: 'f', key: publicKey, grant, revoked: false };
  const material = { keys: new Map([[key.keyId, key]]) };
  const value = Buffer.from(JSON.stringify(buildCommand('charge', { method: 'gopay', orderId: 'order-7', amount: 10_000, details: {} })));
  const headers = commandSigner({ privateKey })(value);
  const signed = { keyId: headers['paystream-key-id'], signature: headers['paystream-signature'] };

  it('is verified by the worker, as sent by its upstream', () => {
    expect(verifyCommand(material, { value, ...signed }, true)).toEqual({ ok: true, signer: { keyId: key.keyId, grant } });
  });

  it('is refused once a byte of it changed', () => {
    const changed = Buffer.from(value.toString().replace('10000', '10001'));
    expect(verifyCommand(material, { value: changed, ...signed }, true)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});
