// One HTTPS request to Midtrans over a keep-alive pool per origin. It knows nothing of signatures:
// it sends the exact bytes it is given and reports whether the request may have been processed.
import { Pool } from 'undici';
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from '../log/logger.ts';

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

export interface SendRequest {
  readonly origin: string;
  readonly tls: ConnectionOptions;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array;
  readonly timeoutMs: number;
}

/** Errors raised before a byte of the request could reach Midtrans. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export class TransportError extends Error {
  readonly transportCode: string;
  /** False only when the request certainly never reached Midtrans. */
  readonly maybeSent: boolean;

  constructor(transportCode: string, maybeSent: boolean) {
    super(`transport failure ${transportCode}`);
    this.name = 'TransportError';
    this.transportCode = transportCode;
    this.maybeSent = maybeSent;
  }
}

function codeOf(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'UNKNOWN';
  const e = err as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && e.code !== 'UND_ERR_SOCKET') return e.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'TOTAL_TIMEOUT';
  if (e.cause !== undefined && e.cause !== err) return codeOf(e.cause);
  return typeof e.code === 'string' ? e.code : 'UNKNOWN';
}

export class Transport {
  readonly #pools = new Map<string, Pool>();
  readonly #connections: number;
  readonly #connectTimeoutMs: number;
  readonly #log: Logger | undefined;

  constructor({
    connections = 64,
    connectTimeoutMs = 5_000,
    logger,
  }: { connections?: number; connectTimeoutMs?: number; logger?: Logger | undefined } = {}) {
    this.#connections = connections;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#log = logger;
  }

  async send(req: SendRequest): Promise<RawAnswer> {
    const pool = this.#pool(req.origin, req.tls);
    if (this.#log?.isLevelEnabled('trace')) {
      this.#log.trace(
        { method: req.method, path: req.path, headers: req.headers, body: req.body ? Buffer.from(req.body).toString('utf8') : undefined },
        'midtrans request',
      );
    }
    try {
      const res = await pool.request({
        method: req.method,
        path: req.path,
        headers: req.headers,
        body: req.body ?? null,
        signal: AbortSignal.timeout(req.timeoutMs),
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      return { status: res.statusCode, body: await res.body.text() };
    } catch (err) {
      const code = codeOf(err);
      throw new TransportError(code, !NOT_SENT.has(code) && !code.startsWith('ERR_SSL_') && !code.startsWith('ERR_TLS_'));
    }
  }

  #pool(origin: string, tls: ConnectionOptions): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.#connections,
        connect: { ...(tls as Record<string, unknown>), timeout: this.#connectTimeoutMs },
        keepAliveTimeout: 30_000,
        pipelining: 1,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close()));
    this.#pools.clear();
  }
}
