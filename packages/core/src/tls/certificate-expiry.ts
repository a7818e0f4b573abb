// When the certificates the worker was configured with stop being valid, for a metric and an alert
// that warn before a trust anchor or a client certificate expires. Only public facts leave this file:
// the certificate's role, its SHA-256 fingerprint and its notAfter time — never key material.
import { X509Certificate } from 'node:crypto';

/** What a certificate is for: a closed set, fit for a metric label. */
export const CERTIFICATE_ROLES = ['tls-ca', 'tls-client', 'ingress-tls'] as const;
export type CertificateRole = (typeof CERTIFICATE_ROLES)[number];

export interface CertificateExpiry {
  readonly role: CertificateRole;
  /** SHA-256 of the certificate's DER, lowercase hex without separators. */
  readonly fingerprint: string;
  readonly notAfterMs: number;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Each certificate of a PEM bundle (a chain or a CA file may hold several); anything else in it is ignored. */
export function certificateExpiries(pem: string, role: CertificateRole): CertificateExpiry[] {
  return [...pem.matchAll(PEM_CERTIFICATE)].map(([block]) => {
    const cert = new X509Certificate(block);
    return { role, fingerprint: cert.fingerprint256.replaceAll(':', '').toLowerCase(), notAfterMs: Date.parse(cert.validTo) };
  });
}
