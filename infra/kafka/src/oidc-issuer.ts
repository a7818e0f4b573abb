// A tiny local OpenID Connect issuer for the secured broker's OAUTHBEARER mechanism: `/jwks` publishes
// the home's RS256 public key and `/token` grants client credentials (RFC 6749 §4.4, client_secret_basic
// or client_secret_post) to the clients whose secrets are in <home>/secrets. Started by the broker
// scripts as `node oidc-issuer.ts <home> <port>`; it logs nothing about tokens or secrets.
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { clientSecretFile, OAUTH_AUDIENCE, OAUTH_CLIENTS, oauthFiles } from './oauth.ts';

const TOKEN_LIFETIME_S = 300;
const MAX_BODY_BYTES = 16 * 1024;

interface Issuer {
  readonly home: string;
  readonly url: string;
  readonly key: KeyObject;
  readonly jwk: Readonly<Record<string, unknown>>;
}

function loadIssuer(home: string, port: number): Issuer {
  const key = createPrivateKey(readFileSync(oauthFiles(home).signingKey));
  const pub = createPublicKey(key).export({ format: 'jwk' });
  const kid = createHash('sha256')
    .update(JSON.stringify([pub.e, pub.kty, pub.n]))
    .digest('base64url');
  return { home, url: `http://127.0.0.1:${port}`, key, jwk: { ...pub, kid, alg: 'RS256', use: 'sig' } };
}

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RS256 JWT carrying what Kafka's validator requires: iss, aud, sub, iat, exp (and a scope). */
export function signToken(issuer: Issuer, sub: string, nowS: number): string {
  const header = part({ alg: 'RS256', typ: 'JWT', kid: issuer.jwk['kid'] });
  const claims = part({
    iss: issuer.url,
    aud: OAUTH_AUDIENCE,
    sub,
    iat: nowS,
    nbf: nowS,
    exp: nowS + TOKEN_LIFETIME_S,
    jti: randomUUID(),
    scope: 'kafka',
  });
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), issuer.key).toString('base64url');
  return `${header}.${claims}.${signature}`;
}

interface Client {
  readonly id: string;
  readonly secret: string;
}

/** RFC 6749 §2.3.1: Basic with form-encoded id and secret, or both in the form. */
function clientOf(req: IncomingMessage, form: URLSearchParams): Client | undefined {
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const formDecode = (v: string): string => decodeURIComponent(v.replace(/\+/g, ' '));
    try {
      return colon < 0 ? undefined : { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
    } catch {
      return undefined;
    }
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? { id, secret } : undefined;
}

function authenticates(home: string, client: Client): boolean {
  if (!(OAUTH_CLIENTS as readonly string[]).includes(client.id)) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(readFileSync(clientSecretFile(home, client.id), 'utf8').trim()), digest(client.secret));
}

function reply(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function grant(issuer: Issuer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  if (!form) {
    reply(res, 413, { error: 'invalid_request' });
    return;
  }
  if (form.get('grant_type') !== 'client_credentials') {
    reply(res, 400, { error: 'unsupported_grant_type' });
    return;
  }
  const client = clientOf(req, form);
  if (!client || !authenticates(issuer.home, client)) {
    reply(res, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="paystream-local-issuer"' });
    return;
  }
  const token = signToken(issuer, client.id, Math.floor(Date.now() / 1000));
  reply(res, 200, { access_token: token, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, scope: 'kafka' });
}

function fail(res: ServerResponse): void {
  if (res.headersSent) res.destroy();
  else reply(res, 500, { error: 'server_error' });
}

export function createIssuer(home: string, port: number): Server {
  const issuer = loadIssuer(home, port);
  const discovery = {
    issuer: issuer.url,
    jwks_uri: `${issuer.url}/jwks`,
    token_endpoint: `${issuer.url}/token`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', issuer.url).pathname;
    if (req.method === 'GET' && path === '/jwks') reply(res, 200, { keys: [issuer.jwk] });
    else if (req.method === 'GET' && path === '/.well-known/openid-configuration') reply(res, 200, discovery);
    else if (req.method === 'POST' && path === '/token') grant(issuer, req, res).catch(() => fail(res));
    else reply(res, 404, { error: 'not_found' });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [home = '', port = ''] = process.argv.slice(2);
  createIssuer(home, Number(port)).listen(Number(port), '127.0.0.1');
  process.on('SIGTERM', () => process.exit(0));
}
