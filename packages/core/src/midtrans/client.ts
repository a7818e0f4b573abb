// The Midtrans client: the one implementation of the keyless façade. It signs the exact bytes it
// sends, retries only what is safe to retry (same X-EXTERNAL-ID, same bytes, new timestamp and
// signature), and turns every answer into an outcome or a typed MidtransError.
// size: one request path (sign, send through the breaker, retry, read the answer) over one key ring, token cache and breakers.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptions } from 'node:tls';
import type { CoreConfig } from '../config/schema.ts';
import type { KeyRing, MerchantKeys } from '../keys/key-ring.ts';
import type { Logger } from '../log/logger.ts';
import { coreBasicAuth, tokenSignature, transactionSignature } from '../signing/snap-signatures.ts';
import { snapTimestamp } from '../timestamp.ts';
import { outboundTlsOptions, type ApiFamily, type OutboundTlsConfig } from '../tls/policy.ts';
import { AccessTokens, type IssuedToken } from './access-tokens.ts';
import { Breakers, type BreakerStateChange } from './breakers.ts';
import { MidtransError, type CoreApiCall, type JsonObject, type MidtransApi, type MidtransOutcome, type SnapCall } from './facade.ts';
import { classifyCore, classifySnap, parseResponseCode, type AnswerClass } from './response-code.ts';
import { Transport, TransportError, type RawAnswer } from './transport.ts';
import { routeTemplate } from './route-template.ts';

export { routeTemplate } from './route-template.ts';
export const TOKEN_PATH = '/v1.0/access-token/b2b';
const encoder = new TextEncoder();

export interface CallRecord {
  readonly family: ApiFamily;
  /** The route template (`/v2/:orderId/status`), never a value: it is a metric label. */
  readonly path: string;
  readonly merchant: string;
  readonly durationMs: number;
  /** `ok`, an answer class, or the error kind. */
  readonly result: string;
}

export interface MidtransClientOptions {
  readonly config: Readonly<CoreConfig>;
  readonly keyRing: KeyRing;
  /** Extra trust and client certificates, already read from the files named in config.tls. */
  readonly tls?: OutboundTlsConfig;
  readonly random?: () => number;
  readonly delay?: (ms: number) => Promise<unknown>;
  readonly logger?: Logger;
}

/** An answer that counts as a failure for the breaker (5xx, 429, 202xx00, 504xx00). */
class TransientAnswer extends Error {
  readonly answer: Answer;
  constructor(answer: Answer) {
    super(`transient answer ${String(answer.status)}`);
    this.answer = answer;
  }
}

/** An answer with its body parsed once and its class, as every step after the send reads it. */
interface Answer extends RawAnswer {
  readonly json: JsonObject;
  readonly cls: AnswerClass;
}

function parseJson(text: string): JsonObject {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
  } catch {
    return {};
  }
}

export class MidtransClient implements MidtransApi {
  readonly tokens: AccessTokens;
  readonly #config: Readonly<CoreConfig>;
  readonly #keys: KeyRing;
  readonly #transport: Transport;
  readonly #breakers: Breakers;
  readonly #tls: Record<ApiFamily, ConnectionOptions>;
  readonly #random: () => number;
  readonly #delay: (ms: number) => Promise<unknown>;
  readonly #callListeners = new Set<(r: CallRecord) => void>();
  readonly #log: Logger | undefined;

  constructor(options: MidtransClientOptions) {
    this.#config = options.config;
    this.#keys = options.keyRing;
    const tls = { allowTls12ForSnap: options.config.tls.allowTls12ForSnap, spkiPins: options.config.tls.spkiPins, ...options.tls };
    this.#tls = { snap: outboundTlsOptions(tls, 'snap'), core: outboundTlsOptions(tls, 'core') };
    this.#transport = new Transport({
      connections: options.config.http.connectionsPerOrigin,
      connectTimeoutMs: options.config.http.connectTimeoutMs,
      logger: options.logger,
    });
    this.#breakers = new Breakers(options.config.breaker);
    this.#random = options.random ?? Math.random;
    this.#log = options.logger;
    this.#delay = options.delay ?? ((ms) => sleep(ms));
    this.tokens = new AccessTokens((m) => this.#fetchToken(m), { refreshAheadMs: options.config.tokens.refreshAheadMs });
    // New key material may mean a new client secret or private key: tokens issued before are dropped.
    options.keyRing.onReload(({ ok }) => ok && this.tokens.clear());
  }

  onBreakerStateChange(listener: (change: BreakerStateChange) => void): () => void {
    return this.#breakers.onStateChange(listener);
  }

  breakerStates(): BreakerStateChange[] {
    return this.#breakers.states();
  }

  onCall(listener: (record: CallRecord) => void): () => void {
    this.#callListeners.add(listener);
    return () => this.#callListeners.delete(listener);
  }

  async snap(call: SnapCall): Promise<MidtransOutcome> {
    const merchant = call.merchant ?? this.#keys.defaultMerchant;
    const bytes = encoder.encode(JSON.stringify(call.body));
    let tokenRetried = false;
    return this.#withRetries('snap', merchant, call.path, async () => {
      const keys = this.#usableKeys(merchant);
      const token = await this.tokens.get(merchant);
      const answer = await this.#fire('snap', merchant, classifySnapAnswer, () => this.#sendSnap(call, keys, token, bytes));
      if (answer.cls === 'token-invalid' && !tokenRetried) {
        tokenRetried = true;
        this.tokens.invalidate(merchant, token);
        return 'again';
      }
      return this.#snapOutcome(answer);
    });
  }

  async coreApi(call: CoreApiCall): Promise<MidtransOutcome> {
    const merchant = call.merchant ?? this.#keys.defaultMerchant;
    const bytes = call.body === undefined ? undefined : encoder.encode(JSON.stringify(call.body));
    return this.#withRetries('core', merchant, call.path, async () => {
      const keys = this.#usableKeys(merchant);
      const answer = await this.#fire('core', merchant, classifyCoreAnswer, () => this.#sendCore(call, keys, bytes));
      return this.#coreOutcome(answer);
    });
  }

  async close(): Promise<void> {
    this.#breakers.shutdown();
    await this.#transport.close();
  }

  #usableKeys(merchant: string): MerchantKeys {
    const keys = this.#keys.merchant(merchant);
    if (keys.revoked) {
      throw new MidtransError(
        'credentials-revoked',
        'PS_ERR_MIDTRANS_CREDENTIALS_REVOKED',
        `the credentials of merchant "${merchant}" are revoked; nothing was sent`,
      );
    }
    return keys;
  }

  #sendSnap(call: SnapCall, keys: MerchantKeys, token: string, body: Uint8Array): Promise<RawAnswer> {
    const timestamp = snapTimestamp();
    const signature = transactionSignature(
      { method: 'POST', path: call.path, accessToken: token, body, timestamp },
      keys.clientSecret.reveal(),
    );
    return this.#transport.send({
      origin: this.#config.snapBaseUrl,
      tls: this.#tls.snap,
      method: 'POST',
      path: new URL(this.#config.snapBaseUrl).pathname.replace(/\/$/, '') + call.path,
      body,
      timeoutMs: call.timeoutMs ?? this.#config.http.totalTimeoutMs,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        'x-timestamp': timestamp,
        'x-signature': signature,
        'x-partner-id': keys.partnerId,
        'x-external-id': call.externalId,
        'channel-id': keys.channelId,
        'x-device-id': keys.deviceId,
      },
    });
  }

  #sendCore(call: CoreApiCall, keys: MerchantKeys, body: Uint8Array | undefined): Promise<RawAnswer> {
    if (!keys.serverKey) {
      throw new MidtransError(
        'credentials-revoked',
        'PS_ERR_MIDTRANS_NO_SERVER_KEY',
        `merchant "${keys.name}" has no server key configured for the Core API; nothing was sent`,
      );
    }
    return this.#transport.send({
      origin: this.#config.coreBaseUrl,
      tls: this.#tls.core,
      method: call.method,
      path: new URL(this.#config.coreBaseUrl).pathname.replace(/\/$/, '') + call.path,
      timeoutMs: call.timeoutMs ?? this.#config.http.totalTimeoutMs,
      ...(body ? { body } : {}),
      headers: {
        accept: 'application/json',
        authorization: coreBasicAuth(keys.serverKey.reveal()),
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(call.idempotencyKey ? { 'idempotency-key': call.idempotencyKey } : {}),
      },
    });
  }

  async #fetchToken(merchant: string): Promise<IssuedToken> {
    const keys = this.#usableKeys(merchant);
    const answer = await this.#fire('snap', merchant, classifySnapAnswer, () => {
      const timestamp = snapTimestamp();
      return this.#transport.send({
        origin: this.#config.snapBaseUrl,
        tls: this.#tls.snap,
        method: 'POST',
        path: new URL(this.#config.snapBaseUrl).pathname.replace(/\/$/, '') + TOKEN_PATH,
        body: encoder.encode('{"grantType":"client_credentials"}'),
        timeoutMs: this.#config.http.totalTimeoutMs,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-timestamp': timestamp,
          'x-client-key': keys.clientId,
          'x-signature': tokenSignature(keys.clientId, timestamp, keys.privateKey),
        },
      });
    });
    const body = answer.json;
    const expiresIn = Number(body['expiresIn'] ?? 900);
    if (answer.status >= 200 && answer.status < 300 && typeof body['accessToken'] === 'string' && body['accessToken'] !== '') {
      return {
        accessToken: body['accessToken'],
        expiresAtMs: Date.now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 900) * 1000,
      };
    }
    const code = typeof body['responseCode'] === 'string' ? body['responseCode'] : undefined;
    throw new MidtransError(
      'auth',
      'PS_ERR_MIDTRANS_TOKEN_REFUSED',
      `the access-token endpoint refused merchant "${merchant}" (HTTP ${String(answer.status)}${code ? `, ${code}` : ''}); check the client id and the registered public key`,
      {
        httpStatus: answer.status,
        ...(code ? { responseCode: code } : {}),
      },
    );
  }

  /** Runs one send through the breaker; transient answers throw so the breaker counts them. */
  async #fire(
    family: ApiFamily,
    merchant: string,
    classify: (status: number, json: JsonObject) => AnswerClass,
    send: () => Promise<RawAnswer>,
  ): Promise<Answer> {
    return this.#breakers.fire(merchant, family, async () => {
      const raw = await send().catch((err: unknown) => {
        this.#log?.debug({ family, merchant, err }, 'midtrans request failed');
        throw err;
      });
      // A token answer is never logged whole: it carries the access token itself.
      this.#log?.trace(
        { family, merchant, status: raw.status, body: raw.body.includes('"accessToken"') ? '[token answer]' : raw.body },
        'midtrans answer',
      );
      const json = parseJson(raw.body);
      const answer: Answer = { ...raw, json, cls: classify(raw.status, json) };
      if (answer.cls === 'retriable' || answer.cls === 'ambiguous') throw new TransientAnswer(answer);
      return answer;
    });
  }

  /**
   * Up to maxAttempts attempts with full-jitter exponential backoff. An attempt returns an outcome,
   * 'again' (retry at once, not counted: a refreshed token), or throws.
   */
  async #withRetries(
    family: ApiFamily,
    merchant: string,
    path: string,
    attempt: () => Promise<MidtransOutcome | 'again'>,
  ): Promise<MidtransOutcome> {
    const started = performance.now();
    const { maxAttempts, backoffBaseMs, backoffMaxMs } = this.#config.http;
    let maybeProcessed = false;
    let last: { code: string; status?: number; responseCode?: string } = { code: 'UNKNOWN' };
    for (let n = 0; n < maxAttempts;) {
      try {
        const result = await attempt();
        if (result === 'again') continue;
        this.#record(family, merchant, path, started, result.ok ? 'ok' : result.kind);
        return result;
      } catch (err) {
        const failure = this.#failure(err, maybeProcessed);
        if (failure instanceof MidtransError) {
          this.#record(family, merchant, path, started, failure.kind);
          throw failure;
        }
        maybeProcessed ||= failure.maybeProcessed;
        last = failure;
      }
      n++;
      if (n < maxAttempts) await this.#delay(this.#random() * Math.min(backoffMaxMs, backoffBaseMs * 2 ** n));
    }
    const kind = maybeProcessed ? 'ambiguous' : 'retriable';
    this.#record(family, merchant, path, started, kind);
    throw new MidtransError(
      kind,
      maybeProcessed ? 'PS_ERR_MIDTRANS_OUTCOME_UNKNOWN' : 'PS_ERR_MIDTRANS_UNAVAILABLE',
      `${path} failed after ${String(maxAttempts)} attempts (last: ${last.code})${maybeProcessed ? '; the request may have been processed: resolve by status inquiry with the same identifiers' : ''}`,
      {
        outcomeUnknown: maybeProcessed,
        ...(last.status === undefined ? {} : { httpStatus: last.status }),
        ...(last.responseCode === undefined ? {} : { responseCode: last.responseCode }),
      },
    );
  }

  /** Either a final MidtransError, or a retriable failure description. */
  #failure(
    err: unknown,
    maybeProcessedBefore: boolean,
  ): MidtransError | { code: string; maybeProcessed: boolean; status?: number; responseCode?: string } {
    if (err instanceof TransientAnswer) {
      const code = err.answer.json['responseCode'];
      return {
        code: `HTTP ${String(err.answer.status)}`,
        status: err.answer.status,
        maybeProcessed: err.answer.cls === 'ambiguous' || err.answer.status >= 500,
        ...(typeof code === 'string' ? { responseCode: code } : {}),
      };
    }
    if (err instanceof TransportError) return { code: err.transportCode, maybeProcessed: err.maybeSent };
    if (MidtransError.is(err)) {
      if (err.kind === 'retriable' || err.kind === 'ambiguous') return { code: err.code, maybeProcessed: err.outcomeUnknown };
      return err;
    }
    if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EOPENBREAKER') {
      return new MidtransError(
        'circuit-open',
        'PS_ERR_MIDTRANS_CIRCUIT_OPEN',
        'the circuit breaker is open: Midtrans is failing, nothing more was sent',
        { outcomeUnknown: maybeProcessedBefore },
      );
    }
    throw err;
  }

  #snapOutcome(answer: Answer): MidtransOutcome {
    const { json: body, cls } = answer;
    const responseCode = parseResponseCode(body['responseCode']);
    const rc = responseCode ? { responseCode } : {};
    if (cls === 'ok') return { ok: true, httpStatus: answer.status, body, ...rc };
    if (cls === 'auth' || cls === 'token-invalid') {
      throw new MidtransError(
        'auth',
        'PS_ERR_MIDTRANS_UNAUTHORIZED',
        `Midtrans refused the request signature or token (${responseCode?.raw ?? String(answer.status)}); check the client secret and the clock`,
        {
          httpStatus: answer.status,
          ...(responseCode ? { responseCode: responseCode.raw } : {}),
        },
      );
    }
    const message = typeof body['responseMessage'] === 'string' ? body['responseMessage'] : `HTTP ${String(answer.status)}`;
    return {
      ok: false,
      kind: cls === 'invalid' || cls === 'conflict' || cls === 'not-found' ? cls : 'business',
      httpStatus: answer.status,
      message,
      body,
      ...rc,
    };
  }

  #coreOutcome(answer: Answer): MidtransOutcome {
    const { json: body, cls } = answer;
    const statusCode = typeof body['status_code'] === 'string' ? { statusCode: body['status_code'] } : {};
    if (cls === 'ok') return { ok: true, httpStatus: answer.status, body, ...statusCode };
    if (cls === 'auth') {
      throw new MidtransError('auth', 'PS_ERR_MIDTRANS_UNAUTHORIZED', 'the Core API refused the server key (401)', {
        httpStatus: answer.status,
      });
    }
    const message = typeof body['status_message'] === 'string' ? body['status_message'] : `HTTP ${String(answer.status)}`;
    return {
      ok: false,
      kind: cls === 'invalid' || cls === 'conflict' || cls === 'not-found' ? cls : 'business',
      httpStatus: answer.status,
      message,
      body,
      ...statusCode,
    };
  }

  #record(family: ApiFamily, merchant: string, path: string, started: number, result: string): void {
    const record = { family, merchant, path: routeTemplate(path), result, durationMs: performance.now() - started };
    this.#log?.debug(record, 'midtrans call');
    for (const l of this.#callListeners) l(record);
  }
}

function classifySnapAnswer(status: number, json: JsonObject): AnswerClass {
  return classifySnap(status, parseResponseCode(json['responseCode']));
}

function classifyCoreAnswer(status: number, json: JsonObject): AnswerClass {
  const code = json['status_code'];
  return classifyCore(status, typeof code === 'string' ? code : undefined);
}
