// The Midtrans client: the one implementation of the keyless façade. Each call is built and signed
// (signed-requests.ts), sent through the breaker of its merchant and API family, read (answers.ts)
// and retried only where that is safe (retries.ts), over one key ring and one token cache.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CoreConfig } from '../config/schema.ts';
import type { KeyRing, MerchantKeys } from '../keys/key-ring.ts';
import type { Logger } from '../log/logger.ts';
import type { ApiFamily, OutboundTlsConfig } from '../tls/policy.ts';
import { AccessTokens, type IssuedToken } from './access-tokens.ts';
import { coreAnswers, readAnswer, snapAnswers, type Answer, type AnswerReading } from './answers.ts';
import { Breakers, type BreakerStateChange } from './breakers.ts';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';
import { MidtransError, type CoreApiCall, type MidtransApi, type MidtransOutcome, type SnapCall } from './facade.ts';
import { Retries } from './retries.ts';
import { routeTemplate } from './route-template.ts';
import { SignedRequests } from './signed-requests.ts';
import { Transport, type SendRequest } from './transport.ts';
import { tracedCall } from '../tracing/midtrans-span.ts';

export { routeTemplate } from './route-template.ts';
export { TOKEN_PATH } from './signed-requests.ts';
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

export class MidtransClient implements MidtransApi {
  readonly tokens: AccessTokens;
  readonly #keys: KeyRing;
  readonly #requests: SignedRequests;
  readonly #transport: Transport;
  readonly #breakers: Breakers;
  readonly #retries: Retries;
  readonly #callListeners = new Set<(r: CallRecord) => void>();
  readonly #log: Logger | undefined;

  constructor(options: MidtransClientOptions) {
    this.#keys = options.keyRing;
    this.#requests = new SignedRequests(options.config, options.tls);
    this.#transport = new Transport({
      connections: options.config.http.connectionsPerOrigin,
      connectTimeoutMs: options.config.http.connectTimeoutMs,
      logger: options.logger,
    });
    this.#breakers = new Breakers(options.config.breaker);
    this.#log = options.logger;
    this.#retries = new Retries({
      config: options.config,
      random: options.random ?? Math.random,
      delay: options.delay ?? ((ms) => sleep(ms)),
      record: (...end) => this.#record(...end),
    });
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
    const facts = {
      family: 'snap' as const,
      method: 'POST',
      path: call.path,
      merchant,
      breakerState: () => this.#breakerState(merchant, 'snap'),
    };
    return tracedCall(facts, (attempted) =>
      this.#retries.run('snap', merchant, call.path, async () => {
        attempted();
        const keys = this.#usableKeys(merchant);
        const token = await this.tokens.get(merchant);
        const answer = await this.#fire('snap', merchant, snapAnswers, () => this.#requests.snap(call, keys, token, bytes));
        if (answer.cls === 'token-invalid' && !tokenRetried) {
          tokenRetried = true;
          this.tokens.invalidate(merchant, token);
          return 'again';
        }
        return snapAnswers.outcome(answer);
      }),
    );
  }

  async coreApi(call: CoreApiCall): Promise<MidtransOutcome> {
    const merchant = call.merchant ?? this.#keys.defaultMerchant;
    const bytes = call.body === undefined ? undefined : encoder.encode(JSON.stringify(call.body));
    const facts = {
      family: 'core' as const,
      method: call.method,
      path: call.path,
      merchant,
      breakerState: () => this.#breakerState(merchant, 'core'),
    };
    return tracedCall(facts, (attempted) =>
      this.#retries.run('core', merchant, call.path, async () => {
        attempted();
        const keys = this.#usableKeys(merchant);
        const answer = await this.#fire('core', merchant, coreAnswers, () => this.#requests.core(call, keys, bytes));
        return coreAnswers.outcome(answer);
      }),
    );
  }

  /** For the call's span only: the state of the breaker a call goes through. */
  #breakerState(merchant: string, family: ApiFamily): string {
    return this.#breakers.states().find((b) => b.merchant === merchant && b.family === family)?.state ?? 'closed';
  }

  async close(): Promise<void> {
    this.#breakers.shutdown();
    await this.#transport.close();
  }

  #usableKeys(merchant: string): MerchantKeys {
    const keys = this.#keys.merchant(merchant);
    if (keys.revoked) {
      throw new MidtransError('credentials-revoked', codes.PS_ERR_MIDTRANS_CREDENTIALS_REVOKED, { merchant });
    }
    return keys;
  }

  async #fetchToken(merchant: string): Promise<IssuedToken> {
    const keys = this.#usableKeys(merchant);
    // Signed before the breaker: an HSM or KMS that cannot sign is not Midtrans failing.
    const request = await this.#requests.token(keys).catch((err: unknown) => {
      const reason = KeyError.is(err) ? err.message : 'the signer failed';
      throw new MidtransError('key-unavailable', codes.PS_ERR_MIDTRANS_KEY_UNAVAILABLE, { merchant, reason }, { cause: err });
    });
    const answer = await this.#fire('snap', merchant, snapAnswers, () => request);
    return snapAnswers.issuedToken(merchant, answer);
  }

  /** Builds and sends one request through the breaker; transient answers throw so the breaker counts them. */
  async #fire(family: ApiFamily, merchant: string, reading: AnswerReading, request: () => SendRequest): Promise<Answer> {
    return this.#breakers.fire(merchant, family, async () => {
      const raw = await this.#transport.send(request()).catch((err: unknown) => {
        this.#log?.debug({ family, merchant, err }, 'midtrans request failed');
        throw err;
      });
      // A token answer is never logged whole: it carries the access token itself.
      this.#log?.trace(
        { family, merchant, status: raw.status, body: raw.body.includes('"accessToken"') ? '[token answer]' : raw.body },
        'midtrans answer',
      );
      return readAnswer(raw, reading);
    });
  }

  #record(family: ApiFamily, merchant: string, path: string, started: number, result: string): void {
    const record = { family, merchant, path: routeTemplate(path), result, durationMs: performance.now() - started };
    this.#log?.debug(record, 'midtrans call');
    for (const l of this.#callListeners) l(record);
  }
}
