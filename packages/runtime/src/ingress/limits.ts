// The notification ingress' resource bounds: how long a client may take to send a request, how many
// connections it may hold, how often it may ask. Every map keyed by a client is bounded by them.
import { isIPv6 } from 'node:net';

export interface IngressLimits {
  /** Time to receive a request's headers (and, over TLS, to finish the handshake) (ms). */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included (ms); at least headersTimeoutMs. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection waits for its next request (ms). */
  readonly keepAliveTimeoutMs: number;
  /** Connections open at once, all clients together. */
  readonly maxConnections: number;
  /** Connections open at once from one client address (an IPv6 client counts by its /64). */
  readonly maxConnectionsPerClient: number;
  /** Requests per second one client address may send (token bucket), and the burst it may save up. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
}

export const DEFAULT_INGRESS_LIMITS: IngressLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
  maxConnectionsPerClient: 256,
  rateLimit: { perSecond: 1_000, burst: 2_000 },
};

/** A request body larger than this is refused and its connection destroyed, unread. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The address a limit counts against: IPv4 as is (also when mapped into IPv6), IPv6 by its /64,
 * since one host commonly holds a whole /64 and could otherwise multiply itself.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (v4?.[1]) return v4[1];
  const bare = address.split('%')[0] ?? '';
  if (!isIPv6(bare)) return 'unknown';
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
