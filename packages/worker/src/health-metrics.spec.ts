import type { CertificateExpiry } from '@paystream/core';
import { WorkerMetrics } from '@paystream/runtime';
import { describe, expect, it } from 'vitest';
import { collectHealth, type HealthSources } from './health-metrics.ts';

const certificate: CertificateExpiry = { role: 'tls-ca', fingerprint: 'ab'.repeat(32), notAfterMs: 1_900_000_000_000 };

function sources(reasons: string[], refused: string[]): HealthSources {
  return {
    metrics: new WorkerMetrics(),
    client: { tokens: { requests: 4, failures: 1 } },
    core: { certificates: [certificate] },
    keyRing: { merchantNames: () => ['default', 'second'] },
    plugins: new Map([
      ['gopay', { api: 'snap' }],
      ['card-3ds', { api: 'core' }],
    ]),
    pausing: { credentials: { refused } },
    settings: { ingress: {} },
    readiness: () => reasons,
  } as unknown as HealthSources;
}

describe('health metrics', () => {
  it('reports readiness, token totals, each credential set and family refused or not, and certificate expiry', async () => {
    const s = sources(['credentials refused: second/core'], ['second/core']);
    collectHealth(s);
    const text = await s.metrics.text();
    expect(text).toContain('paystream_ready 0');
    expect(text).toContain('paystream_access_token_requests_total 4');
    expect(text).toContain('paystream_access_token_failures_total 1');
    expect(text).toContain('paystream_credentials_refused{merchant="second",family="core"} 1');
    expect(text).toContain('paystream_credentials_refused{merchant="default",family="snap"} 0');
    expect(text.match(/^paystream_credentials_refused\{/gm)).toHaveLength(4);
    expect(text).toContain(
      `paystream_certificate_expiry_timestamp_seconds{role="tls-ca",fingerprint="${certificate.fingerprint}"} 1900000000`,
    );
  });

  it('reports a ready worker as 1', async () => {
    const s = sources([], []);
    collectHealth(s);
    expect(await s.metrics.text()).toContain('paystream_ready 1');
  });
});
