// The scanner finds every secret of a run in every form it could leak in, and stays quiet on text
// that holds none — including card numbers properly masked to first 6 / last 4.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanForSecrets, secretScanner, type RunSecrets } from './secret-scan.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ed = generateKeyPairSync('ed25519').privateKey;
const pkcs8 = rsa.export({ type: 'pkcs8', format: 'pem' }).toString();
const clientSecret = randomBytes(24).toString('base64url');
const serverKey = `server-${randomBytes(18).toString('base64url')}`;
const token = randomBytes(32).toString('base64url');
const secrets: RunSecrets = {
  privateKeys: [pkcs8, ed.export({ type: 'pkcs8', format: 'pem' }).toString()],
  values: { clientSecret, serverKey, 'access token 1': token },
  cardNumbers: ['4811111111111114', '5211111111111117'],
};
const scanner = secretScanner(secrets);
const kinds = (text: string): string[] => [...new Set(scanner.scan(text).map((f) => `${f.kind} ${f.name}`))];

/** Text around a leak that cannot itself complete a secret. */
const noise = fc.string({ maxLength: 40 }).map((s) => s.replace(/[0-9A-Za-z+/=_-]/g, ' '));

describe('secret scanner', () => {
  const bodyOf = (pem: string): string => pem.split('\n').slice(1, -2).join('');
  const leaks: [string, string, string][] = [
    ['the PEM itself', pkcs8, 'pem-armour PEM private key armour'],
    ['the PEM body without armour, on one line', bodyOf(pkcs8), 'private-key private key 1'],
    ['the PEM body in a JSON string', JSON.stringify({ key: pkcs8.replace(/-----[A-Z ]+-----/g, '') }), 'private-key private key 1'],
    ['the PKCS#1 DER in hex', rsa.export({ type: 'pkcs1', format: 'der' }).toString('hex'), 'private-key private key 1'],
    ['the DER as base64url', rsa.export({ type: 'pkcs8', format: 'der' }).toString('base64url'), 'private-key private key 1'],
    ['the JWK', JSON.stringify(rsa.export({ format: 'jwk' })), 'private-key private key 1'],
    ['an Ed25519 JWK', JSON.stringify(ed.export({ format: 'jwk' })), 'private-key private key 2'],
    ['a client secret', `secret=${clientSecret}`, 'secret clientSecret'],
    ['a Basic authorization header', `authorization: Basic ${Buffer.from(`${serverKey}:`).toString('base64')}`, 'secret serverKey'],
    ['a base64 blob holding the server key at an odd offset', Buffer.from(`xy${serverKey}zz`).toString('base64'), 'secret serverKey'],
    ['a URL-encoded token', `?t=${encodeURIComponent(`${token}/+`)}`, 'secret access token 1'],
    ['a hex token', Buffer.from(token).toString('hex'), 'secret access token 1'],
    ['a card number', 'pan 4811111111111114', 'card-number card 1'],
    ['a card number with spaces', '4811 1111 1111 1114', 'card-number card 1'],
    ['a card number with zero-width joiners', '4811\u200d1111\u200d1111\u200d1114', 'card-number card 1'],
    [
      'a card number in full-width digits',
      '\uff14\uff18\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff14',
      'card-number card 1',
    ],
    ['a card number as JSON escapes', String.raw`"\u0034\u0038\u0031\u0031111111111114"`, 'card-number card 1'],
    [
      'a card number in Arabic-Indic digits',
      '\u0664\u0668\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0664',
      'card-number card 1',
    ],
    ['a card masked too little', '52111111****1117', 'card-under-masked card 2'],
  ];

  it.each(leaks)('finds %s', (_what, leak, kind) => {
    expect(kinds(leak)).toContain(kind);
  });

  it('finds each leak wherever it sits in surrounding text', () => {
    fc.assert(
      fc.property(noise, fc.constantFrom(...leaks), noise, (before, [, leak, kind], after) => {
        expect(kinds(`${before}${leak}${after}`)).toContain(kind);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts cards masked to first 6 / last 4 and finds nothing in unrelated text', () => {
    expect(scanner.scan('card 481111******1114 and 521111XXXXXX1117, 4811-11**-****-1114')).toEqual([]);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.stringMatching(/^[0-9 -]{0,40}$/), (text, digits) => {
        expect(scanner.scan(`${text}${digits}`)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('names the secret and its form, never the secret', () => {
    const findings = scanForSecrets(`x ${clientSecret} 4811111111111114`, secrets);
    expect(findings.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(findings)).not.toContain(clientSecret);
    expect(JSON.stringify(findings)).not.toContain('4811111111111114');
  });
});
