import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makePki } from '../../test/certs.ts';
import { certificateExpiries } from './certificate-expiry.ts';

describe('certificate expiry', () => {
  it('names each certificate of a bundle by role, DER fingerprint and notAfter, and skips what is not a certificate', async () => {
    const pki = await makePki();
    const found = certificateExpiries(`${pki.certPem}\n${pki.keyPem}\n${pki.caPem}`, 'tls-client');
    const expected = [pki.certPem, pki.caPem].map((pem) => {
      const cert = new X509Certificate(pem);
      return {
        role: 'tls-client',
        fingerprint: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
        notAfterMs: Date.parse(cert.validTo),
      };
    });
    expect(found).toEqual(expected);
    expect(found.every((c) => /^[0-9a-f]{64}$/.test(c.fingerprint) && c.notAfterMs > Date.now())).toBe(true);
    expect(JSON.stringify(found)).not.toContain('PRIVATE');
  });

  it('finds nothing in a file without certificates', () => {
    expect(certificateExpiries('', 'tls-ca')).toEqual([]);
  });
});
