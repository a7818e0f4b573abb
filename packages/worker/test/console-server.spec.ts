// The console server over real HTTPS on loopback: sign-in and its cookie, the sign-in rate limit,
// CSRF, roles, the security headers, the served script, bounds, and session expiry on a moved clock.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inboundTlsOptions } from '@paystream/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../../core/test/certs.ts';
import type { ApiRoute } from '../src/console/api-route.ts';
import { startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from '../src/console/server/console-server.ts';
import { CONTENT_SECURITY_POLICY, MAX_BODY_BYTES } from '../src/console/server/http.ts';
import { parseTokens, tokenLine } from '../src/console/server/tokens-file.ts';
import { call, cookieOf, errorCode, type CallOptions, type Got } from './console-client.ts';

const operatorToken = randomBytes(32).toString('base64url');
const viewerToken = randomBytes(32).toString('base64url');
const tokens = parseTokens(
  `# test users\n${tokenLine(operatorToken, 'operator', 'Olga Operator')}\n${tokenLine(viewerToken, 'viewer', 'Vic Viewer')}\n`,
);

const routes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/things/:thing',
    role: 'operator',
    handle: (r) => Promise.resolve({ status: 200, body: { thing: r.params['thing'], got: r.body, by: r.user.id } }),
  },
  { method: 'GET', path: '/api/things', role: 'viewer', handle: () => Promise.resolve({ status: 200, body: { things: [] } }) },
];

let pki: TestPki;
let clock = 1_000_000;
const servers: ConsoleServer[] = [];

async function start(
  extra: Partial<ConsoleServerOptions> = {},
): Promise<(method: string, path: string, opts?: CallOptions) => Promise<Got>> {
  const server = await startConsoleServer({
    tls: inboundTlsOptions(pki),
    routes,
    tokens,
    sessionTtlMs: 8 * 3_600_000,
    now: () => clock,
    ...extra,
  });
  servers.push(server);
  return (method, path, opts) => call(server.url, pki.caPem, method, path, opts);
}

const jsonBody = (value: unknown): CallOptions => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

let api: Awaited<ReturnType<typeof start>>;

async function signIn(token: string): Promise<{ cookie: string; csrf: string; got: Got }> {
  const got = await api('POST', '/auth/token', jsonBody({ token }));
  return { cookie: cookieOf(got), csrf: (got.json as { csrfToken: string }).csrfToken, got };
}

beforeAll(async () => {
  pki = await makePki();
  api = await start();
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('the console server', () => {
  it('signs in with a good token into a __Host- cookie that is Secure, HttpOnly and SameSite=Strict', async () => {
    const { got, cookie } = await signIn(operatorToken);
    expect(got.status).toBe(200);
    const line = got.headers['set-cookie']?.[0] ?? '';
    expect(line).toMatch(/^__Host-paystream-session=[A-Za-z0-9_-]{43};/);
    expect(line.split('; ')).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(line).not.toContain('Domain');
    const session = await api('GET', '/api/session', { headers: { cookie } });
    expect(session.json).toMatchObject({ user: { id: 'Olga Operator', name: 'Olga Operator', role: 'operator' } });
    expect(session.text).not.toContain(operatorToken);
  });

  it('refuses a wrong token, then every sign-in from that address once the limit is reached, until the window passes', async () => {
    const limited = await start({ signInLimits: { maxFailures: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      const wrong = await limited('POST', '/auth/token', jsonBody({ token: `${operatorToken}x` }));
      expect([wrong.status, errorCode(wrong)]).toEqual([401, 'PS_ERR_CONSOLE_SIGN_IN_REFUSED']);
      expect(wrong.headers['set-cookie']).toBeUndefined();
    }
    const blocked = await limited('POST', '/auth/token', jsonBody({ token: operatorToken }));
    expect([blocked.status, errorCode(blocked)]).toEqual([429, 'PS_ERR_CONSOLE_SIGN_IN_LIMITED']);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    clock += 60_000;
    expect((await limited('POST', '/auth/token', jsonBody({ token: operatorToken }))).status).toBe(200);
  });

  it('takes a sign-in only as JSON and only from its own origin', async () => {
    const form = await api('POST', '/auth/token', {
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ token: operatorToken }),
    });
    expect(form.status).toBe(415);
    const foreign = await api('POST', '/auth/token', {
      ...jsonBody({ token: operatorToken }),
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    expect([foreign.status, errorCode(foreign)]).toEqual([403, 'PS_ERR_CONSOLE_BAD_REQUEST']);
  });

  it('refuses a POST without the CSRF token and takes the same with it, params decoded', async () => {
    const { cookie, csrf } = await signIn(operatorToken);
    const body = JSON.stringify({ reason: 'test' });
    const headers = { cookie, 'content-type': 'application/json' };
    const without = await api('POST', '/api/things/a%20b', { headers, body });
    expect([without.status, errorCode(without)]).toEqual([403, 'PS_ERR_CONSOLE_CSRF_REFUSED']);
    const wrong = await api('POST', '/api/things/a%20b', { headers: { ...headers, 'x-csrf-token': `${csrf.slice(1)}A` }, body });
    expect(wrong.status).toBe(403);
    const ok = await api('POST', '/api/things/a%20b', { headers: { ...headers, 'x-csrf-token': csrf }, body });
    expect([ok.status, ok.json]).toEqual([200, { thing: 'a b', got: { reason: 'test' }, by: 'Olga Operator' }]);
  });

  it('answers 401 without a session and 403 to a viewer on an operator route, as JSON with a code', async () => {
    const anonymous = await api('GET', '/api/things');
    expect([anonymous.status, errorCode(anonymous)]).toEqual([401, 'PS_ERR_CONSOLE_SESSION_EXPIRED']);
    const { cookie, csrf } = await signIn(viewerToken);
    expect((await api('GET', '/api/things', { headers: { cookie } })).status).toBe(200);
    const refused = await api('POST', '/api/things/x', {
      ...jsonBody({}),
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf },
    });
    expect([refused.status, errorCode(refused)]).toEqual([403, 'PS_ERR_CONSOLE_ROLE_REFUSED']);
  });

  it('answers unknown API paths 404 and wrong methods 405 with Allow', async () => {
    const { cookie } = await signIn(viewerToken);
    const missing = await api('GET', '/api/nothing', { headers: { cookie } });
    expect([missing.status, errorCode(missing)]).toEqual([404, 'PS_ERR_CONSOLE_NOT_FOUND']);
    const method = await api('GET', '/api/things/x', { headers: { cookie } });
    expect([method.status, method.headers['allow']]).toEqual([405, 'POST']);
  });

  it('puts the CSP and the other security headers on HTML, script and API answers', async () => {
    const { cookie } = await signIn(viewerToken);
    for (const got of [await api('GET', '/'), await api('GET', '/console.js'), await api('GET', '/api/session', { headers: { cookie } })]) {
      expect(got.status).toBe(200);
      expect(got.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(got.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['referrer-policy']).toBe('no-referrer');
      expect(got.headers['cache-control']).toBe('no-store');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('serves the script as JavaScript that parses, and nothing outside its allow-list', async () => {
    const script = await api('GET', '/console.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).not.toMatch(/\.(?:inner|outer)HTML\b|insertAdjacentHTML|document\.write/);
    const dir = mkdtempSync(join(tmpdir(), 'console-js-'));
    try {
      writeFileSync(join(dir, 'console.mjs'), script.text);
      execFileSync(process.execPath, ['--check', join(dir, 'console.mjs')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await api('GET', '/index.html')).status).toBe(404);
    for (const path of ['/console.mts', '/tsconfig.json', '/%2e%2e/server/http.ts', '/../console-config.ts'])
      expect((await api('GET', path)).status, path).toBe(404);
  });

  it('refuses a body over the limit', async () => {
    const { cookie, csrf } = await signIn(operatorToken);
    const big = JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) });
    const got = await api('POST', '/api/things/x', {
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: big,
    });
    expect([got.status, errorCode(got)]).toEqual([413, 'PS_ERR_CONSOLE_BAD_REQUEST']);
  });

  it('ends a session idle for 30 minutes, and any session at its TTL however busy', async () => {
    const idle = await signIn(viewerToken);
    clock += 29 * 60_000;
    expect((await api('GET', '/api/session', { headers: { cookie: idle.cookie } })).status).toBe(200);
    clock += 30 * 60_000;
    const gone = await api('GET', '/api/session', { headers: { cookie: idle.cookie } });
    expect([gone.status, errorCode(gone)]).toEqual([401, 'PS_ERR_CONSOLE_SESSION_EXPIRED']);
    const busy = await signIn(viewerToken);
    for (let minutes = 0; minutes < 8 * 60 - 20; minutes += 20) {
      clock += 20 * 60_000;
      expect((await api('GET', '/api/session', { headers: { cookie: busy.cookie } })).status).toBe(200);
    }
    clock += 20 * 60_000;
    expect((await api('GET', '/api/session', { headers: { cookie: busy.cookie } })).status).toBe(401);
  });

  it('signs out only with the CSRF token, and the session is gone after', async () => {
    const { cookie, csrf } = await signIn(operatorToken);
    expect((await api('POST', '/auth/logout', { headers: { cookie } })).status).toBe(403);
    const out = await api('POST', '/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(200);
    expect(out.headers['set-cookie']?.[0]).toContain('Max-Age=0');
    expect((await api('GET', '/api/session', { headers: { cookie } })).status).toBe(401);
  });

  it('refuses plain HTTP on an address other than loopback', async () => {
    await expect(startConsoleServer({ host: '0.0.0.0', routes, tokens, sessionTtlMs: 60_000 })).rejects.toMatchObject({
      code: 'PS_ERR_CONSOLE_PLAIN_HTTP',
    });
  });
});
