// Our signatures against the official `midtrans-client` package's exported static functions, for
// the same inputs: byte-identical over 1,000 random cases each.
import { createPrivateKey } from 'node:crypto';
import fc from 'fast-check';
import midtrans from 'midtrans-client';
import { describe, expect, it } from 'vitest';
import { tokenSignature, transactionSignature } from '../src/signing/snap-signatures.ts';
import { rsaPair } from './keys.ts';

const timestamps = fc.oneof(
  fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map((d) => `${d.toISOString().slice(0, 19)}+07:00`),
  fc.string({ maxLength: 40 }),
);
const paths = fc
  .array(fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/), { minLength: 1, maxLength: 5 })
  .map((parts) => `/v1.0/${parts.join('/')}`);
const bodies = fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 });

describe('signatures equal the official client', () => {
  it('transactional HMAC-SHA512 for 1,000 random inputs (unicode, slashes, nested objects, timestamp forms)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        bodies,
        fc.constantFrom('POST', 'post', 'GET'),
        paths,
        fc.string({ minLength: 1, unit: 'binary' }),
        timestamps,
        (token, body, method, path, secret, ts) => {
          const ours = transactionSignature(
            { method, path, accessToken: token, body: new TextEncoder().encode(JSON.stringify(body)), timestamp: ts },
            secret,
          );
          expect(ours).toBe(midtrans.SnapBi.getSymmetricSignatureHmacSh512(token, body, method, path, secret, ts));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('B2B token SHA256withRSA for 1,000 random inputs', () => {
    const { privatePem } = rsaPair();
    const key = createPrivateKey(privatePem);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), timestamps, (clientId, ts) => {
        expect(tokenSignature(clientId, ts, key)).toBe(midtrans.SnapBi.getAsymmetricSignatureSha256WithRsa(clientId, ts, privatePem));
      }),
      { numRuns: 1000 },
    );
  });
});
