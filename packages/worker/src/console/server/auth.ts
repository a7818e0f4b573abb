// Sign-in with a bearer token, sign-out and the session's own description, and the checks every
// API call passes: the session cookie, and on anything but GET the CSRF token in `x-csrf-token`.
// A sign-in is a JSON POST (a form of another site cannot send one) from the console's own origin.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { codes } from '@paystream/core';
import type { Session, SessionStore } from './sessions.ts';
import type { FailedSignIns } from './sign-in-limiter.ts';
import type { TokenAuthenticator } from './tokens-file.ts';
import { badRequest, clearCookie, errorReply, isJson, json, readJsonBody, sessionCookie, setCookie, type Reply } from './http.ts';

/** Longer than any token worth hashing: a bigger one is refused as a failed sign-in. */
const MAX_TOKEN_CHARS = 1_024;

export interface AuthState {
  readonly sessions: SessionStore;
  readonly tokens: TokenAuthenticator;
  readonly failures: FailedSignIns;
  readonly https: boolean;
}

export function sessionOf(s: AuthState, req: IncomingMessage): { id: string; session: Session } | undefined {
  const id = sessionCookie(req);
  const session = id === undefined ? undefined : s.sessions.get(id);
  return id !== undefined && session ? { id, session } : undefined;
}

export function csrfAccepted(req: IncomingMessage, session: Session): boolean {
  const given = req.headers['x-csrf-token'];
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(given, 'utf8'), Buffer.from(session.csrfToken, 'utf8')];
  return a.length === b.length && timingSafeEqual(a, b);
}

export const sessionAnswer = (session: Session): { user: Session['user']; csrfToken: string } => ({
  user: { id: session.user.id, name: session.user.name, role: session.user.role },
  csrfToken: session.csrfToken,
});

/** No Origin (a same-origin GET-less client) or exactly this console's own. */
function sameOrigin(s: AuthState, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `${s.https ? 'https' : 'http'}://${req.headers.host ?? ''}`;
}

function tokenOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || !('token' in body)) return undefined;
  const token = body.token;
  return typeof token === 'string' && token.length > 0 && token.length <= MAX_TOKEN_CHARS ? token : undefined;
}

export async function signIn(s: AuthState, req: IncomingMessage): Promise<Reply> {
  const client = req.socket.remoteAddress ?? 'unknown';
  const waitMs = s.failures.blockedFor(client);
  if (waitMs > 0) {
    const retry = { 'retry-after': String(Math.ceil(waitMs / 1_000)) };
    return errorReply(429, codes.PS_ERR_CONSOLE_SIGN_IN_LIMITED, { minutes: Math.ceil(waitMs / 60_000) }, retry);
  }
  if (!isJson(req)) return badRequest(415, 'a sign-in is a JSON body (content-type: application/json)');
  if (!sameOrigin(s, req)) return badRequest(403, 'the sign-in comes from another origin');
  const body = await readJsonBody(req);
  if (!body.ok) return body.reply;
  const token = tokenOf(body.value);
  const user = token === undefined ? undefined : s.tokens.authenticate(token);
  if (!user) {
    s.failures.fail(client);
    return errorReply(401, codes.PS_ERR_CONSOLE_SIGN_IN_REFUSED, {});
  }
  const { id, session } = s.sessions.create(user);
  return json(200, sessionAnswer(session), { 'set-cookie': setCookie(id) });
}

export function signOut(s: AuthState, req: IncomingMessage): Reply {
  const current = sessionOf(s, req);
  if (!current) return errorReply(401, codes.PS_ERR_CONSOLE_SESSION_EXPIRED, {});
  if (!csrfAccepted(req, current.session)) return errorReply(403, codes.PS_ERR_CONSOLE_CSRF_REFUSED, {});
  s.sessions.delete(current.id);
  return json(200, {}, { 'set-cookie': clearCookie });
}
