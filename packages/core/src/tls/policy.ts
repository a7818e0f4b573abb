// TLS policy for every socket core opens (BI-SNAP security specification, "Secured Channel
// Communication"): certificates always verified, GCM suites only, BI-SNAP on TLS 1.3 unless TLS 1.2
// is explicitly allowed (the 30 June 2026 TLS 1.2 sunset has passed).
import { createHash, X509Certificate } from 'node:crypto';
import type { ConnectionOptions, PeerCertificate, SecureContextOptions } from 'node:tls';
import { checkServerIdentity, createSecureContext, rootCertificates } from 'node:tls';
import { ConfigError } from '../errors.ts';

/** The TLS 1.3 suites of the specification, in OpenSSL names. */
export const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256';
/** The two TLS 1.2 suites of the specification (ECDHE-RSA with AES-GCM). */
export const TLS12_GCM_SUITES = 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256';

export type ApiFamily = 'snap' | 'core';

export interface OutboundTlsConfig {
  /** Allow TLS 1.2 (GCM suites only) for BI-SNAP; Core API always allows it. */
  readonly allowTls12ForSnap?: boolean;
  /** Extra trusted CAs (a corporate proxy, a test CA), PEM. The system roots stay trusted. */
  readonly caPem?: readonly string[];
  /** Optional SPKI pins: base64 SHA-256 of the server's public key. Off by default. */
  readonly spkiPins?: readonly string[];
  /** Optional client certificate for mutual TLS. */
  readonly clientCert?: { readonly certPem: string; readonly keyPem: string };
}

/** Refuses anything but an https: URL at configuration time. */
export function requireHttpsUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError([`${what}: not a URL`]);
  }
  if (parsed.protocol !== 'https:') throw new ConfigError([`${what}: must be an https: URL (Midtrans rejects plain HTTP, and so do we)`]);
  return parsed;
}

export function spkiPin(cert: PeerCertificate | X509Certificate): string {
  const der = cert instanceof X509Certificate ? cert.publicKey.export({ type: 'spki', format: 'der' }) : cert.pubkey;
  return der ? createHash('sha256').update(der).digest('base64') : '';
}

function withPins(pins: readonly string[] | undefined): Pick<ConnectionOptions, 'checkServerIdentity'> {
  if (!pins || pins.length === 0) return {};
  return {
    checkServerIdentity: (host, cert) => {
      const identity = checkServerIdentity(host, cert);
      if (identity) return identity;
      return pins.includes(spkiPin(cert)) ? undefined : new Error(`server key of ${host} matches none of the configured SPKI pins`);
    },
  };
}

/** Options for `tls.connect` / undici `connect` towards Midtrans. */
export function outboundTlsOptions(config: OutboundTlsConfig, family: ApiFamily): ConnectionOptions {
  const tls12 = family === 'core' || config.allowTls12ForSnap === true;
  const ca = config.caPem && config.caPem.length > 0 ? { ca: [...rootCertificatesPem(), ...config.caPem] } : {};
  const client = config.clientCert ? { cert: config.clientCert.certPem, key: config.clientCert.keyPem } : {};
  const context: SecureContextOptions = {
    minVersion: tls12 ? 'TLSv1.2' : 'TLSv1.3',
    maxVersion: 'TLSv1.3',
    ciphers: tls12 ? `${TLS13_SUITES}:${TLS12_GCM_SUITES}` : TLS13_SUITES,
    ...ca,
    ...client,
  };
  return {
    rejectUnauthorized: true,
    ...context,
    // Built once and shared by every connection: given `ca`, tls.connect would otherwise parse the
    // whole bundle (the system roots plus the extra CAs) into a store of its own for each socket,
    // which costs milliseconds of CPU and hundreds of KiB of native memory per connection.
    secureContext: createSecureContext(context),
    ...withPins(config.spkiPins),
  };
}

/** The lowest TLS version the notification ingress accepts. */
export type InboundMinTlsVersion = 'TLSv1.3' | 'TLSv1.2';

/**
 * Options for the notification ingress server: TLS 1.3 only by default (BI-SNAP sunset TLS 1.2 on
 * 30 June 2026). `minVersion: 'TLSv1.2'` admits TLS 1.2 with the two ECDHE-RSA-AES-GCM suites, for a
 * notification sender that does not speak TLS 1.3 yet; the worker logs a warning when it is set.
 */
export function inboundTlsOptions(
  server: { readonly certPem: string; readonly keyPem: string },
  options: { readonly minVersion?: InboundMinTlsVersion } = {},
): SecureContextOptions & { minVersion: InboundMinTlsVersion } {
  const tls12 = options.minVersion === 'TLSv1.2';
  return {
    cert: server.certPem,
    key: server.keyPem,
    minVersion: tls12 ? 'TLSv1.2' : 'TLSv1.3',
    maxVersion: 'TLSv1.3',
    ciphers: tls12 ? `${TLS13_SUITES}:${TLS12_GCM_SUITES}` : TLS13_SUITES,
    honorCipherOrder: true,
  };
}

/** Passing `ca` replaces Node's roots, so they are added back: an extra CA never narrows trust. */
function rootCertificatesPem(): readonly string[] {
  return rootCertificates;
}
