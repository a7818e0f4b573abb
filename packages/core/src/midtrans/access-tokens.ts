// B2B access tokens per credential set: cached, refreshed ahead of expiry in the background,
// single-flight (any number of concurrent callers cause one request), invalidated on 401xx01. Each
// token is scrubbed from the logs until shortly after it expires, then forgotten.
import { secretScrubber, type SecretScrubber } from '../log/redact.ts';

/** A token may still be in flight, and logged, a little after it expires. */
export const TOKEN_SCRUB_GRACE_MS = 60_000;

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresAtMs: number;
}

export type TokenFetcher = (merchant: string) => Promise<IssuedToken>;

interface Entry {
  token?: IssuedToken;
  inflight?: Promise<IssuedToken>;
}

export class AccessTokens {
  readonly #fetch: TokenFetcher;
  readonly #refreshAheadMs: number;
  readonly #now: () => number;
  readonly #scrubber: SecretScrubber;
  readonly #entries = new Map<string, Entry>();
  #requests = 0;
  #failures = 0;

  constructor(
    fetch: TokenFetcher,
    {
      refreshAheadMs = 60_000,
      now = Date.now,
      scrubber = secretScrubber,
    }: { refreshAheadMs?: number; now?: () => number; scrubber?: SecretScrubber } = {},
  ) {
    this.#fetch = fetch;
    this.#refreshAheadMs = refreshAheadMs;
    this.#now = now;
    this.#scrubber = scrubber;
  }

  /** Token requests made so far (a metric, and the single-flight proof). */
  get requests(): number {
    return this.#requests;
  }

  /** Token requests that failed: refused, unreachable or unreadable (a metric and an alert). */
  get failures(): number {
    return this.#failures;
  }

  async get(merchant: string): Promise<string> {
    const entry = this.#entry(merchant);
    const now = this.#now();
    const token = entry.token;
    if (token && token.expiresAtMs > now) {
      // Still valid: serve it, and renew in the background once inside the refresh window.
      if (token.expiresAtMs - now <= this.#refreshAheadMs) this.#refresh(merchant, entry).catch(() => undefined);
      return token.accessToken;
    }
    return (await this.#refresh(merchant, entry)).accessToken;
  }

  /** Drops a token Midtrans refused (401xx01), unless a newer one already replaced it. */
  invalidate(merchant: string, accessToken: string): void {
    const entry = this.#entries.get(merchant);
    if (entry?.token?.accessToken === accessToken) delete entry.token;
  }

  /** Forgets every token, e.g. after the merchant's key or secret was rotated. */
  clear(merchant?: string): void {
    if (merchant === undefined) this.#entries.clear();
    else this.#entries.delete(merchant);
  }

  #entry(merchant: string): Entry {
    let entry = this.#entries.get(merchant);
    if (!entry) this.#entries.set(merchant, (entry = {}));
    return entry;
  }

  #refresh(merchant: string, entry: Entry): Promise<IssuedToken> {
    if (entry.inflight) return entry.inflight;
    this.#requests++;
    const inflight = this.#fetch(merchant)
      .then((token) => {
        this.#scrubber.register(token.accessToken, { expiresAtMs: token.expiresAtMs + TOKEN_SCRUB_GRACE_MS });
        entry.token = token;
        return token;
      })
      .catch((err: unknown) => {
        this.#failures++;
        throw err;
      })
      .finally(() => {
        delete entry.inflight;
      });
    entry.inflight = inflight;
    return inflight;
  }
}
