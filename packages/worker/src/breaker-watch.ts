// Consumption of the plugins on an API family pauses while a breaker of that family is not closed.
// Half-open, a breaker lets one call through and only a success closes it. The worker sends that call
// itself: nothing else may be coming. A breaker opened by the notification ingress' or the
// reconciler's inquiries finds no command in flight, and every command of its plugins is held in
// Kafka by the very pause — waiting for a command's retry would keep them there for ever.
import type { BreakerStateChange, CoreServices } from '@paystream/core';
import type { PauseControl } from '@paystream/runtime';
import { probeMidtrans } from './credentials-probe.ts';

export interface BreakerWatchOptions {
  readonly control: PauseControl;
  /** Every state change, after the pause has followed it. */
  readonly onChange?: (change: BreakerStateChange) => void;
  /** A half-open probe failed: the breaker opens again and probes after its reset timeout. */
  readonly onProbeFailed?: (change: BreakerStateChange, err: unknown) => void;
  /** The call that closes a half-open breaker (default: a signed inquiry about no order). */
  readonly probe?: (merchant: string, family: BreakerStateChange['family']) => Promise<void>;
}

const breakerReason = (c: Pick<BreakerStateChange, 'merchant' | 'family'>): string => `circuit breaker open: ${c.merchant}/${c.family}`;

/** Pauses and resumes with the client's breakers, probing each half-open one; returns the unsubscribe. */
export function watchBreakers(core: Pick<CoreServices, 'client'>, opts: BreakerWatchOptions): () => void {
  const probe = opts.probe ?? ((merchant, family) => probeMidtrans(core, merchant, family));
  return core.client.onBreakerStateChange((c) => {
    opts.control.set(breakerReason(c), c.state !== 'closed', (t) => t.api === c.family);
    opts.onChange?.(c);
    // A waiting command's retry may take the one call first; the probe is then refused by the
    // breaker itself, without reaching Midtrans.
    if (c.state === 'half-open') probe(c.merchant, c.family).catch((err: unknown) => opts.onProbeFailed?.(c, err));
  });
}
