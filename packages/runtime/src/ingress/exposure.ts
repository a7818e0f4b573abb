// "HTTPS only": the ingress never listens in plain HTTP where anyone but this host can reach it,
// unless the operator says a TLS-terminating proxy is in front (`ingress.allowPlainHttp`).
import { BlockList, isIP } from 'node:net';
import { codes, createError } from '@paystream/core';

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

/** Refuses (a fatal error) when the ingress would serve plain HTTP on a non-loopback address. */
export function refusePlainHttpExposure(
  ingress: { readonly host?: string; readonly tls?: unknown; readonly allowPlainHttp?: boolean } = {},
): void {
  const host = ingress.host ?? '127.0.0.1';
  if (ingress.tls !== undefined || ingress.allowPlainHttp === true || isLoopbackHost(host)) return;
  throw createError(codes.PS_ERR_INGRESS_PLAIN_HTTP, { host });
}
