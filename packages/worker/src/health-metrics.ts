// The gauges and totals an operator's alerts watch, read from the running parts at each scrape:
// readiness, refused credentials, the access-token manager's requests and failures, and when each
// configured certificate expires. Labels come from closed sets: the configured credential sets, the
// loaded plugins' API families, core's certificate roles and the fingerprints of configured files.
import { certificateExpiries, type CertificateExpiry } from '@paystream/core';
import { WorkerMetrics } from '@paystream/runtime';
import type { WorkerParts } from './tokens.ts';

export type HealthSources = Pick<WorkerParts, 'metrics' | 'client' | 'core' | 'keyRing' | 'plugins' | 'pausing' | 'settings' | 'readiness'>;

/** Core's outbound certificates and the ingress' own, read once: the files are read at start only. */
export function configuredCertificates(s: Pick<HealthSources, 'core' | 'settings'>): CertificateExpiry[] {
  const ingress = s.settings.ingress.tls;
  return [...s.core.certificates, ...(ingress ? certificateExpiries(ingress.certPem, 'ingress-tls') : [])];
}

export function collectHealth(s: HealthSources): void {
  const { metrics } = s;
  for (const c of configuredCertificates(s))
    metrics.certificateExpiry.set({ role: c.role, fingerprint: c.fingerprint }, c.notAfterMs / 1000);
  const families = [...new Set([...s.plugins.values()].map((p) => p.api))];
  metrics.onScrape(() => {
    metrics.ready.set(s.readiness().length === 0 ? 1 : 0);
    WorkerMetrics.setTotal(metrics.tokenRequests, s.client.tokens.requests);
    WorkerMetrics.setTotal(metrics.tokenFailures, s.client.tokens.failures);
    const refused = new Set(s.pausing.credentials.refused);
    for (const merchant of s.keyRing.merchantNames())
      for (const family of families) metrics.credentialsRefused.set({ merchant, family }, refused.has(`${merchant}/${family}`) ? 1 : 0);
  });
}
