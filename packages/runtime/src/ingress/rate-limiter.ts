// A token bucket per client address: `perSecond` requests on average, `burst` at once. The buckets
// are bounded: beyond `maxClients` the least recently seen is forgotten (it starts again full), so a
// flood of addresses costs memory up to the bound only and never refuses anyone else.

export class ClientRateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #maxClients: number;
  readonly #now: () => number;

  constructor(opts: { perSecond: number; burst: number; maxClients?: number; now?: () => number }) {
    this.#perSecond = opts.perSecond;
    this.#burst = Math.max(1, opts.burst);
    this.#maxClients = opts.maxClients ?? 10_000;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** True when the client may send one more request now (and takes its token). */
  take(client: string): boolean {
    const now = this.#now();
    const bucket = this.#buckets.get(client);
    let tokens = bucket ? Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1_000) * this.#perSecond) : this.#burst;
    // Re-inserted on every use, so the map's first key is always the least recently seen client.
    if (bucket) this.#buckets.delete(client);
    else if (this.#buckets.size >= this.#maxClients) this.#buckets.delete(this.#buckets.keys().next().value ?? '');
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.#buckets.set(client, { tokens, at: now });
    return allowed;
  }

  get size(): number {
    return this.#buckets.size;
  }
}
