// "HTTPS only": the ingress never listens in plain HTTP where anyone but this host can reach it,
// unless the operator says a TLS-terminating proxy is in front (`ingress.allowPlainHttp`).
import { BlockList, isIP } from 'node:net';
import { PaystreamError } from '@paystream/core';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** True for localhost and the loopback addresses; a name other than localhost may resolve anywhere. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Throws PS_ERR_INGRESS_PLAIN_HTTP when the ingress would serve plain HTTP on a non-loopback address. */
export function refusePlainHttpExposure(
  ingress: { readonly host?: string; readonly tls?: unknown; readonly allowPlainHttp?: boolean } = {},
): void {
  const host = ingress.host ?? '127.0.0.1';
  if (ingress.tls !== undefined || ingress.allowPlainHttp === true || isLoopbackHost(host)) return;
  throw new PaystreamError(
    'PS_ERR_INGRESS_PLAIN_HTTP',
    `the notification ingress would listen in plain HTTP on ${host}, which is not a loopback address: configure ingress.tlsCertFile and ingress.tlsKeyFile, or set ingress.allowPlainHttp behind a TLS-terminating proxy`,
    'fatal',
  );
}
