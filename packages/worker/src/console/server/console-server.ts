// The operator console's server: HTTPS with core's inbound TLS policy (plain HTTP only on loopback),
// the web shell's allow-listed files, sign-in and sign-out, and the API routes its parts declare,
// each behind the session, the CSRF token (anything but GET) and the route's least role.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { codes, PaystreamError } from '@paystream/core';
import { isLoopbackHost } from '@paystream/runtime';
import { roleAtLeast, type ApiRoute } from '../api-route.ts';
import { csrfAccepted, sessionAnswer, sessionOf, signIn, signOut, type AuthState } from './auth.ts';
import { badRequest, errorReply, isJson, json, readJsonBody, securityHeaders, send, type Reply } from './http.ts';
import { checkRoutes, matchRoute } from './router.ts';
import { SessionStore } from './sessions.ts';
import { FailedSignIns, type SignInLimits } from './sign-in-limiter.ts';
import { staticFiles } from './static-files.ts';
import type { TokenAuthenticator } from './tokens-file.ts';

export interface ConsoleServerOptions {
  readonly host?: string;
  readonly port?: number;
  /** Core's inbound TLS options (inboundTlsOptions); without them only a loopback host is allowed. */
  readonly tls?: SecureContextOptions;
  readonly routes: readonly ApiRoute[];
  readonly tokens: TokenAuthenticator;
  readonly sessionTtlMs: number;
  readonly signInLimits?: SignInLimits;
  /** The clock of sessions and sign-in limits (tests move it). */
  readonly now?: () => number;
}

export interface ConsoleServer {
  readonly url: string;
  close(): Promise<void>;
}

interface State extends AuthState {
  readonly routes: readonly ApiRoute[];
}

const notAllowed = (allowed: string): Reply => errorReply(405, codes.PS_ERR_CONSOLE_METHOD_NOT_ALLOWED, { allowed }, { allow: allowed });

async function api(s: State, req: IncomingMessage, url: URL): Promise<Reply> {
  const current = sessionOf(s, req);
  if (!current) return errorReply(401, codes.PS_ERR_CONSOLE_SESSION_EXPIRED, {});
  const { session } = current;
  if (url.pathname === '/api/session' && req.method === 'GET') return json(200, sessionAnswer(session));
  const match = matchRoute(s.routes, req.method ?? '', url.pathname);
  if (match.kind === 'none') return errorReply(404, codes.PS_ERR_CONSOLE_NOT_FOUND, {});
  if (match.kind === 'undecodable') return badRequest(400, 'a path segment does not decode');
  if (match.kind === 'method') return notAllowed(match.allowed.join(', '));
  const { route, params } = match;
  if (route.method !== 'GET' && !csrfAccepted(req, session)) return errorReply(403, codes.PS_ERR_CONSOLE_CSRF_REFUSED, {});
  if (!roleAtLeast(session.user.role, route.role))
    return errorReply(403, codes.PS_ERR_CONSOLE_ROLE_REFUSED, { needed: route.role, role: session.user.role });
  let body: unknown;
  if (route.method === 'POST') {
    if (!isJson(req)) return badRequest(415, 'a POST carries a JSON body (content-type: application/json)');
    const read = await readJsonBody(req);
    if (!read.ok) return read.reply;
    body = read.value;
  }
  const answer = await route.handle({ user: session.user, params, query: url.searchParams, body });
  return json(answer.status, answer.body);
}

/** An allow-listed file, written here; anything else is a Reply for the caller to send. */
function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): Reply | undefined {
  const file = staticFiles().get(path);
  if (!file) return errorReply(404, codes.PS_ERR_CONSOLE_NOT_FOUND, {});
  if (req.method !== 'GET' && req.method !== 'HEAD') return notAllowed('GET');
  res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length });
  res.end(file.body);
  return undefined;
}

async function route(s: State, req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://console');
  } catch {
    return badRequest(400, 'the request target is not a path');
  }
  const path = url.pathname;
  if (path === '/auth/token' || path === '/auth/logout') {
    if (req.method !== 'POST') return notAllowed('POST');
    return path === '/auth/token' ? signIn(s, req) : signOut(s, req);
  }
  if (path.startsWith('/api/')) return api(s, req, url);
  return serveStatic(req, res, path);
}

function listener(s: State): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    securityHeaders(res, s.https);
    route(s, req, res).then(
      (reply) => {
        if (reply) send(res, reply);
      },
      () => {
        // The failure itself may quote the request: only that there was one is answered.
        if (!res.headersSent) send(res, json(500, { error: { message: 'the console could not answer this request' } }));
        else res.destroy();
      },
    );
  };
}

/** Stops the start when plain HTTP would be served where another host can reach it. */
export function refusePlainHttp(host: string, tls: SecureContextOptions | undefined): void {
  if (tls === undefined && !isLoopbackHost(host)) throw new PaystreamError(codes.PS_ERR_CONSOLE_PLAIN_HTTP, { host });
}

export async function startConsoleServer(opts: ConsoleServerOptions): Promise<ConsoleServer> {
  const host = opts.host ?? '127.0.0.1';
  refusePlainHttp(host, opts.tls);
  checkRoutes(opts.routes);
  staticFiles();
  const now = opts.now ?? Date.now;
  const state: State = {
    routes: opts.routes,
    tokens: opts.tokens,
    https: opts.tls !== undefined,
    sessions: new SessionStore({ ttlMs: opts.sessionTtlMs, now }),
    failures: new FailedSignIns({ maxFailures: 10, windowMs: 15 * 60_000, ...opts.signInLimits, now }),
  };
  const limits = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16 * 1024 };
  const server: Server = opts.tls
    ? createHttps({ ...opts.tls, ...limits, handshakeTimeout: 10_000 }, listener(state))
    : createHttp(limits, listener(state));
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', fail);
      done();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${state.https ? 'https' : 'http'}://${shown}:${String(port)}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
