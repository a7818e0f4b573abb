import { describe, expect, it } from 'vitest';
import { PaystreamError } from '../errors.ts';
import { rsaPair } from '../../test/keys.ts';
import { formatKeyReference, isKeyReference, kmsUri, parseKeyReference, pkcs11Uri } from './key-reference.ts';
import { loadRsaPublicKey, spkiFingerprint } from './pem.ts';

const pair = rsaPair();
const publicKey = loadRsaPublicKey(pair.publicPem);

function refusal(text: string): string {
  try {
    parseKeyReference(text, 'The key of merchant "m"');
  } catch (err) {
    if (PaystreamError.is(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'accepted';
}

describe('key reference files', () => {
  it('round-trips a pkcs11: reference with its public key, escaping labels as RFC 7512 says', () => {
    const uri = pkcs11Uri({ tokenLabel: 'pay stream;1', keyLabel: 'merchant/2026', keyId: '01a2' });
    expect(uri).toBe('pkcs11:token=pay%20stream%3B1;object=merchant%2F2026;id=%01%a2');
    const ref = parseKeyReference(formatKeyReference(uri, publicKey), 'k');
    expect(ref).toMatchObject({ store: 'pkcs11', tokenLabel: 'pay stream;1', keyLabel: 'merchant/2026', keyId: '01a2' });
    expect(spkiFingerprint(ref.publicKey)).toBe(spkiFingerprint(publicKey));
  });

  it('takes the URI p11tool prints, its descriptive attributes ignored', () => {
    const printed =
      'pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=4a1b;token=paystream;id=%0a;object=merchant;type=private';
    expect(parseKeyReference(formatKeyReference(printed, publicKey), 'k')).toMatchObject({
      tokenLabel: 'paystream',
      keyLabel: 'merchant',
      keyId: '0a',
    });
  });

  it('reads a slot number and an aws-kms: key', () => {
    expect(parseKeyReference(formatKeyReference('pkcs11:slot-id=3;object=k', publicKey), 'k')).toMatchObject({ slot: 3, keyLabel: 'k' });
    const kms = parseKeyReference(formatKeyReference(kmsUri('alias/paystream-merchant'), publicKey), 'k');
    expect(kms).toMatchObject({ store: 'aws-kms', keyId: 'alias/paystream-merchant' });
  });

  it('tells references from PEM keys', () => {
    expect(isKeyReference(formatKeyReference('pkcs11:token=t;object=k', publicKey))).toBe(true);
    expect(isKeyReference(`\n${kmsUri('arn:aws:kms:ap-southeast-3:1:key/x')}\n`)).toBe(true);
    expect(isKeyReference(pair.privatePem)).toBe(false);
  });

  it('refuses a reference without a token, a key or a public key, or with a PIN in it', () => {
    const withKey = (uri: string): string => formatKeyReference(uri, publicKey);
    expect(refusal(withKey('pkcs11:object=k'))).toMatch(/PS_ERR_KEY_UNREADABLE: .*names no token/);
    expect(refusal(withKey('pkcs11:token=t'))).toMatch(/names no key/);
    expect(refusal('pkcs11:token=t;object=k\n')).toMatch(/without its public key/);
    const pinned = refusal(withKey('pkcs11:token=t;object=k?pin-value=123456'));
    expect(pinned).toMatch(/the PIN comes from keyStores\.pkcs11\.pinFile only/);
    expect(pinned).not.toContain('123456');
    expect(refusal(withKey('pkcs11:token=t;object=k;library-path=/tmp/evil.so'))).toMatch(
      /unsupported pkcs11: URI attribute "library-path"/,
    );
    expect(refusal(withKey('aws-kms:'))).toMatch(/names no valid KMS key/);
  });

  it('refuses a public key that BI-SNAP would refuse', () => {
    expect(refusal(formatKeyReference('pkcs11:token=t;object=k', loadRsaPublicKey(rsaPair(2048).publicPem)))).toBe('accepted');
    expect(refusal(`pkcs11:token=t;object=k\n${rsaPair(1024).publicPem}`)).toMatch(/PS_ERR_KEY_TOO_SHORT/);
  });
});
