// The notification ingress: Midtrans' signed notifications, each verified, then confirmed by a status
// inquiry before anything is published. HTTPS unless a TLS-terminating proxy is said to be in front.
import { inboundTlsOptions } from '@paystream/core';
import { startIngress, type Ingress } from '@paystream/runtime';
import type { WorkerParts } from './tokens.ts';

export async function openNotificationIngress(
  p: Pick<WorkerParts, 'settings' | 'verifier' | 'plugins' | 'log' | 'orders' | 'dispatcher' | 'onNotification' | 'handover'>,
): Promise<Ingress> {
  const { log } = p;
  const settings = p.settings.ingress;
  const ingress = await startIngress({
    plugins: p.plugins,
    verifier: p.verifier,
    orders: p.orders,
    updates: p.dispatcher.updates,
    host: settings.host,
    port: settings.port,
    ...(settings.tls ? { tls: inboundTlsOptions(settings.tls, { minVersion: settings.minTlsVersion }) } : {}),
    ...(settings.allowPlainHttp ? { allowPlainHttp: true } : {}),
    ...(settings.limits ? { limits: settings.limits } : {}),
    onEvent: p.onNotification,
    ...(p.handover ? { handover: p.handover } : {}),
  });
  if (settings.tls && settings.minTlsVersion === 'TLSv1.2') {
    log.warn(
      { ingress: ingress.url },
      'the notification ingress accepts TLS 1.2 (GCM suites): BI-SNAP sunset TLS 1.2 on 30 June 2026; set ingress.minTlsVersion to TLSv1.3 once every sender speaks it',
    );
  }
  if (!settings.tls && settings.allowPlainHttp)
    log.warn({ ingress: ingress.url }, 'the notification ingress serves plain HTTP: only behind a proxy that terminates TLS');
  return ingress;
}
