// Upstream as a production service publishes through a broker failover: a send that fails (its
// client ran out of retries while the dead leader was not yet replaced) is sent again, the same
// commands with the same ids — at least once, never dropped. Part of a batch may have landed before
// the failure, so the workers may read a command twice; that must change nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentCommand } from '@paystream/contracts';
import type { ChargeSpec, PaystreamSystem } from '@paystream/test-harness';

export interface Resends {
  /** Sends that failed and were made again. */
  count: number;
  /** The first few failures, by message. */
  readonly reasons: Set<string>;
}

/** `s.upstream.send`, made again (up to `attempts` times, a second apart) when it fails. */
export async function sendAtLeastOnce(s: PaystreamSystem, wave: readonly PaymentCommand[], resends: Resends, attempts = 30): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await s.upstream.send(wave);
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
      resends.count++;
      if (resends.reasons.size < 3) resends.reasons.add(`${(err as Error).name}: ${(err as Error).message}`);
      await sleep(1_000);
    }
  }
}

export interface PacedWaves {
  readonly waves: number;
  readonly gapMs: number;
  /** Awaited after each wave is acknowledged, before the pause. */
  readonly after: (wave: number) => Promise<void>;
}

/** publishInWaves (scenario.ts) with every wave sent at least once; `sent` grows as waves go out. */
export async function publishAtLeastOnce(
  s: PaystreamSystem,
  specs: readonly ChargeSpec[],
  opts: PacedWaves,
  sent: PaymentCommand[],
  resends: Resends,
): Promise<void> {
  for (let w = 0; w < opts.waves; w++) {
    const slice = specs.slice(Math.floor((w * specs.length) / opts.waves), Math.floor(((w + 1) * specs.length) / opts.waves));
    const wave = await Promise.all(slice.map((spec) => s.charge(spec)));
    await sendAtLeastOnce(s, wave, resends);
    sent.push(...wave);
    await opts.after(w);
    if (w < opts.waves - 1) await sleep(opts.gapMs);
  }
}
