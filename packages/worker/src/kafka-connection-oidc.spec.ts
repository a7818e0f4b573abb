import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaystreamError, secretScrubber } from '@paystream/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oidcTokenProvider } from './kafka-connection-oidc.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-oidc-'));
const CLIENT_SECRET = 'client-S3cret-do-not-print';
const secretFile = join(dir, 'client-secret');
writeFileSync(secretFile, CLIENT_SECRET);
chmodSync(secretFile, 0o600);

interface Seen {
  readonly authorization: string | undefined;
  readonly body: string;
}

/** What the token endpoint answers next: a status and a JSON body; each request is counted and kept. */
let answer: { status: number; body: Record<string, unknown>; delayMs?: number };
let seen: Seen[] = [];
let issued = 0;
let server: Server;
let endpoint: string;

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => resolve(body));
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then(async (body) => {
      seen.push({ authorization: req.headers.authorization, body });
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      const reply =
        answer.status === 200 ? { access_token: `token-${String(++issued)}-abcdefgh`, token_type: 'Bearer', ...answer.body } : answer.body;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${String((server.address() as { port: number }).port)}/oauth2/token`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  answer = { status: 200, body: { expires_in: 3600 } };
  seen = [];
});

const provider = (now: () => number = Date.now) =>
  oidcTokenProvider({
    tokenEndpoint: endpoint,
    clientId: 'paystream worker',
    clientSecretFile: secretFile,
    scope: 'kafka',
    now,
    refreshAheadMs: 60_000,
  });

describe('the OIDC client-credentials token provider', () => {
  it('asks the token endpoint with HTTP Basic client credentials and the scope, and serves the token it issues', async () => {
    const token = await provider()();
    expect(token.value).toMatch(/^token-\d+-abcdefgh$/);
    expect(seen).toHaveLength(1);
    const basic = Buffer.from(seen[0]?.authorization?.replace(/^Basic /, '') ?? '', 'base64').toString('utf8');
    expect(basic).toBe(`paystream+worker:${CLIENT_SECRET}`);
    expect(new URLSearchParams(seen[0]?.body)).toEqual(new URLSearchParams({ grant_type: 'client_credentials', scope: 'kafka' }));
    expect(secretScrubber.scrub(`logged ${token.value} and ${CLIENT_SECRET}`)).toBe('logged [secret] and [secret]');
  });

  it('serves the cached token until the refresh window, then renews it in the background before it expires', async () => {
    let now = 1_000_000;
    const get = provider(() => now);
    const first = (await get()).value;
    now += 3_000_000; // 600 s left: still outside the 60 s window
    expect((await get()).value).toBe(first);
    expect(seen).toHaveLength(1);
    now += 570_000; // 30 s left: served, and renewed meanwhile
    expect((await get()).value).toBe(first);
    // Callers meanwhile share the renewal in flight; once it lands they get the new token.
    await expect.poll(async () => (await get()).value).not.toBe(first);
    expect(seen).toHaveLength(2);
  });

  it('makes any number of concurrent authentications share one token request', async () => {
    answer = { ...answer, delayMs: 100 };
    const get = provider();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => get()));
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('fails with the endpoint, the status and the OAuth error code only: never the secret or what the endpoint said about it', async () => {
    answer = { status: 401, body: { error: 'invalid_client', error_description: `the secret ${CLIENT_SECRET} is wrong` } };
    const failure = await provider()().catch((e: unknown) => e);
    expect(PaystreamError.is(failure)).toBe(true);
    const err = failure as PaystreamError;
    expect([err.code, err.errorClass, err.exitStatus]).toEqual(['PS_ERR_KAFKA_OAUTH_TOKEN', 'retriable', 69]);
    expect(err.message).toBe(`no OAUTHBEARER token for Kafka from ${endpoint}: HTTP 401 invalid_client`);
    expect(JSON.stringify(err)).not.toContain(CLIENT_SECRET);
    answer = { status: 200, body: { access_token: '' } };
    await expect(provider()()).rejects.toThrow(/holds no access_token/);
    answer = { status: 200, body: { token_type: 'mac' } };
    await expect(provider()()).rejects.toThrow(/token_type is not Bearer/);
  });

  it('says when the endpoint cannot be reached, and retries at the next authentication', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const get = oidcTokenProvider({
      tokenEndpoint: `http://127.0.0.1:${String(closed)}/token`,
      clientId: 'c',
      clientSecretFile: secretFile,
    });
    await expect(get()).rejects.toThrow(/: no answer \(ECONNREFUSED\)$/);
    await expect(get()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('reads a replaced client secret at the next token request', async () => {
    let now = 0;
    const get = provider(() => now);
    await get();
    writeFileSync(secretFile, 'rotated-client-secret');
    now += 3_600_001; // expired: a new token is fetched
    await get();
    const basic = Buffer.from(seen[1]?.authorization?.replace(/^Basic /, '') ?? '', 'base64').toString('utf8');
    expect(basic).toBe('paystream+worker:rotated-client-secret');
    writeFileSync(secretFile, CLIENT_SECRET);
  });
});
