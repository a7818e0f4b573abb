// What every console answer shares: the security headers (a strict CSP, no sniffing, no referrer,
// HSTS over HTTPS), JSON answers and error answers by catalogue code, the session cookie, and the
// bounded reading of a JSON body. No answer repeats a token, a cookie or a request body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { codes, errorMessage, type ErrorCode, type ErrorParams } from '@paystream/core';

export const MAX_BODY_BYTES = 64 * 1024;
export const SESSION_COOKIE = '__Host-paystream-session';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export function securityHeaders(res: ServerResponse, https: boolean): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cache-control', 'no-store');
  if (https) res.setHeader('strict-transport-security', 'max-age=31536000');
}

/** An answer as the handlers make it; one place writes it. `close` ends the connection after it. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly close?: boolean;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({ status, body, headers });

export function errorReply<C extends ErrorCode>(
  status: number,
  code: C,
  params: ErrorParams<C>,
  headers: Record<string, string> = {},
): Reply {
  return { status, body: { error: { code, message: errorMessage(code, params) } }, headers };
}

export const badRequest = (status: number, reason: string): Reply => errorReply(status, codes.PS_ERR_CONSOLE_BAD_REQUEST, { reason });

export function send(res: ServerResponse, reply: Reply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  if (reply.close === true) res.shouldKeepAlive = false;
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** The cookie's value, or undefined; other cookies are ignored, nothing is logged. */
export function sessionCookie(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/** Secure even over loopback HTTP: browsers treat localhost as a secure context and keep it. */
export const setCookie = (id: string): string => `${SESSION_COOKIE}=${id}; Secure; HttpOnly; SameSite=Strict; Path=/`;
export const clearCookie = `${SESSION_COOKIE}=; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;

export const isJson = (req: IncomingMessage): boolean =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';

export type BodyRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reply: Reply };

/** Reads a JSON body up to `max` bytes; past it the read stops and the connection is closed after the answer. */
export function readJsonBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<BodyRead> {
  const tooLarge: BodyRead = { ok: false, reply: { ...badRequest(413, `the body is over ${String(max)} bytes`), close: true } };
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve(tooLarge);
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else {
        req.pause();
        done(tooLarge);
      }
    });
    req.on('error', () => {
      done({ ok: false, reply: { ...badRequest(400, 'the body was not received whole'), close: true } });
    });
    req.on('end', () => {
      try {
        done({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        done({ ok: false, reply: badRequest(400, 'the body is not JSON') });
      }
    });
  });
}
