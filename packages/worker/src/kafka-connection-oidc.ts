// OAUTHBEARER's built-in token source: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) at an
// OIDC provider's token endpoint, authenticating with HTTP Basic as Kafka's own Java client does.
// Core's AccessTokens caches each token, renews it ahead of expiry, makes concurrent authentications
// share one request and scrubs it from the logs. The client secret is read at each request, so a
// replaced file is used by the next one; a failure names the endpoint and the OAuth error code only.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { AccessTokens, codes, createError, readSecretRef, secretScrubber, type IssuedToken, type PaystreamError } from '@paystream/core';
import type { KafkaOAuthConfig, OauthBearerProvider } from './config/kafka-security.ts';

export interface OidcTokenOptions extends KafkaOAuthConfig {
  /** TLS options towards an https: endpoint (kafka.tls's CAs besides the system roots, core's policy). */
  readonly tls?: ConnectionOptions;
  readonly allowInsecureKeyFilePermissions?: boolean;
  /** Where `env:` references are read; process.env when absent. */
  readonly env?: NodeJS.ProcessEnv;
  /** How long before its expiry a token is renewed in the background (default 60 s). */
  readonly refreshAheadMs?: number;
  /** A token request's bound (default 10 s). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** The lifetime assumed when the endpoint states none and the token is not a JWT with `exp`. */
const DEFAULT_LIFETIME_MS = 300_000;
/** A token answer is small; a larger body is not one. */
const MAX_BODY_BYTES = 64 * 1024;

interface Answer {
  readonly status: number;
  readonly body: string;
}

function post(url: URL, headers: Record<string, string>, body: string, tls: ConnectionOptions, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const onAnswer = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(Object.assign(new Error('too large'), { code: 'ANSWER_TOO_LARGE' }));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const options = { method: 'POST', headers, timeout: timeoutMs, agent: false as const };
    const req = url.protocol === 'https:' ? httpsRequest(url, { ...tls, ...options }, onAnswer) : httpRequest(url, options, onAnswer);
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** The `exp` claim of a JWT, in ms; undefined when the token is not one. */
function jwtExpiryMs(token: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The issued token, or why there is none: the status and the OAuth error code, never the body's other text. */
function tokenOf(answer: Answer, now: number): IssuedToken | string {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    json = {};
  }
  const error = typeof json['error'] === 'string' && /^[\w.-]{1,64}$/.test(json['error']) ? ` ${json['error']}` : '';
  if (answer.status !== 200) return `HTTP ${String(answer.status)}${error}`;
  const token = json['access_token'];
  if (typeof token !== 'string' || token === '') return 'the answer holds no access_token';
  const type = json['token_type'];
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') return 'the token_type is not Bearer';
  const expiresIn = json['expires_in'];
  const expiresAtMs =
    typeof expiresIn === 'number' && expiresIn > 0 ? now + expiresIn * 1000 : (jwtExpiryMs(token) ?? now + DEFAULT_LIFETIME_MS);
  return { accessToken: token, expiresAtMs };
}

function failure(endpoint: string, reason: string): PaystreamError {
  return createError(codes.PS_ERR_KAFKA_OAUTH_TOKEN, { endpoint, reason });
}

/** Form-encoding per RFC 6749 §2.3.1, before Basic's base64. */
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');

/**
 * The token provider kafkajs calls at each SASL/OAUTHBEARER authentication. The client secret must be
 * readable now (a start-up check); it is read again at each token request.
 */
export function oidcTokenProvider(o: OidcTokenOptions): OauthBearerProvider & { forget(): void } {
  const url = new URL(o.tokenEndpoint);
  const endpoint = `${url.origin}${url.pathname}`;
  const now = o.now ?? Date.now;
  const readSecret = (): string => {
    const secret = readSecretRef(o.clientSecretFile, 'kafka.sasl.oauth.clientSecretFile', {
      private: true,
      allowInsecurePermissions: o.allowInsecureKeyFilePermissions ?? false,
      ...(o.env ? { env: o.env } : {}),
    });
    secretScrubber.register(secret);
    return secret;
  };
  readSecret();
  const fetchToken = async (): Promise<IssuedToken> => {
    const basic = Buffer.from(`${formEncode(o.clientId)}:${formEncode(readSecret())}`).toString('base64');
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(o.scope ? { scope: o.scope } : {}) }).toString();
    const headers = { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    let answer: Answer;
    try {
      answer = await post(url, headers, form, o.tls ?? {}, o.timeoutMs ?? 10_000);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      throw failure(endpoint, `no answer${typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : ''}`);
    }
    const token = tokenOf(answer, now());
    if (typeof token === 'string') throw failure(endpoint, token);
    return token;
  };
  const tokens = new AccessTokens(fetchToken, { refreshAheadMs: o.refreshAheadMs ?? 60_000, now });
  // `forget` drops the cached token (a reload, or a token the brokers refused): the next authentication asks again.
  return Object.assign(async () => ({ value: await tokens.get('kafka') }), { forget: () => tokens.clear() });
}
