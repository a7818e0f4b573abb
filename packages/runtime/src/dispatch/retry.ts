// Waiting out Midtrans: unavailability and unknown outcomes are retried with the same identifiers
// and the same bytes — Midtrans replays what it already did (X-EXTERNAL-ID, Idempotency-Key,
// partnerRefundNo) — never with new ones, and never dropped.
import { setTimeout as sleep } from 'node:timers/promises';
import { MidtransError } from '@paystream/core';

export interface Backoff {
  /** Backoff bounds while Midtrans is unavailable (ms). */
  readonly baseMs?: number;
  readonly maxMs?: number;
}

/** The delay before retry `attempt` (0-based): exponential, capped, with jitter. */
export function backoffMs(attempt: number, { baseMs = 200, maxMs = 30_000 }: Backoff): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 10)) * (0.5 + Math.random() / 2);
}

/** Runs `attempt` until it answers; each MidtransError is reported and waited out, any other error thrown. */
export async function untilAnswered<T>(
  attempt: () => Promise<T>,
  onMidtransError: (err: MidtransError) => void,
  backoff: Backoff,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!MidtransError.is(err)) throw err;
      onMidtransError(err);
      await sleep(backoffMs(n, backoff));
    }
  }
}
