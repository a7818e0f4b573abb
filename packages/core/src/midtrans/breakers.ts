// One opossum circuit breaker per (credential set, API family). An open breaker rejects at once, so
// a Midtrans outage costs only the breaker's probes; state changes are published to the runtime.
import CircuitBreaker from 'opossum';
import type { ApiFamily } from '../tls/policy.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerStateChange {
  readonly merchant: string;
  readonly family: ApiFamily;
  readonly state: BreakerState;
}

export interface BreakerOptions {
  readonly errorThresholdPercentage: number;
  readonly volumeThreshold: number;
  readonly resetTimeoutMs: number;
  readonly rollingCountTimeoutMs: number;
}

type Action = () => Promise<unknown>;

export class Breakers {
  readonly #options: BreakerOptions;
  readonly #breakers = new Map<string, CircuitBreaker<[Action]>>();
  readonly #listeners = new Set<(change: BreakerStateChange) => void>();

  constructor(options: BreakerOptions) {
    this.#options = options;
  }

  /** Runs `action` through the breaker of (merchant, family). Rejects with code EOPENBREAKER when open. */
  fire<T>(merchant: string, family: ApiFamily, action: () => Promise<T>): Promise<T> {
    return this.#breaker(merchant, family).fire(action) as Promise<T>;
  }

  onStateChange(listener: (change: BreakerStateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  states(): BreakerStateChange[] {
    return [...this.#breakers.entries()].map(([key, b]) => {
      const [merchant = '', family = 'snap'] = key.split('\u0000');
      return { merchant, family: family as ApiFamily, state: b.opened ? 'open' : b.halfOpen ? 'half-open' : 'closed' };
    });
  }

  shutdown(): void {
    for (const b of this.#breakers.values()) b.shutdown();
    this.#breakers.clear();
  }

  #breaker(merchant: string, family: ApiFamily): CircuitBreaker<[Action]> {
    const key = `${merchant}\u0000${family}`;
    let breaker = this.#breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker((action: Action) => action(), {
        timeout: false,
        errorThresholdPercentage: this.#options.errorThresholdPercentage,
        volumeThreshold: this.#options.volumeThreshold,
        resetTimeout: this.#options.resetTimeoutMs,
        rollingCountTimeout: this.#options.rollingCountTimeoutMs,
      });
      const emit = (state: BreakerState) => () => {
        for (const l of this.#listeners) l({ merchant, family, state });
      };
      breaker.on('open', emit('open'));
      breaker.on('halfOpen', emit('half-open'));
      breaker.on('close', emit('closed'));
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }
}
