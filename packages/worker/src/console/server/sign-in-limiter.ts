// Failed sign-ins counted per remote address over a window: past the limit, that address's sign-ins
// are refused unread until the window passes. Bounded: beyond `maxClients` the address seen least
// recently is forgotten, so a flood of addresses costs memory up to the bound only.

export interface SignInLimits {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly maxClients?: number;
  readonly now?: () => number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { maxFailures: 10, windowMs: 15 * 60_000 };

export class FailedSignIns {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #limits: SignInLimits;
  readonly #now: () => number;

  constructor(limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS) {
    this.#limits = limits;
    this.#now = limits.now ?? Date.now;
  }

  /** Milliseconds until `client` may try again, or 0 when it may now. */
  blockedFor(client: string): number {
    const entry = this.#current(client);
    if (!entry || entry.count < this.#limits.maxFailures) return 0;
    return entry.since + this.#limits.windowMs - this.#now();
  }

  fail(client: string): void {
    const entry = this.#current(client) ?? { count: 0, since: this.#now() };
    this.#failures.delete(client);
    if (this.#failures.size >= (this.#limits.maxClients ?? 10_000)) this.#failures.delete(this.#failures.keys().next().value ?? '');
    this.#failures.set(client, { count: entry.count + 1, since: entry.since });
  }

  #current(client: string): { count: number; since: number } | undefined {
    const entry = this.#failures.get(client);
    if (entry && this.#now() - entry.since >= this.#limits.windowMs) {
      this.#failures.delete(client);
      return undefined;
    }
    return entry;
  }
}
