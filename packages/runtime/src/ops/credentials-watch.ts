// Refused credentials (a revoked key, a rotated client secret not yet loaded, a server key Midtrans
// no longer accepts) are not an outage to retry through: the plugins using them pause and the
// worker reports unready, and a cheap probe — a new access token, a status request — tells when
// valid credentials are back, whether loaded by a key reload or reinstated at Midtrans.
import type { PauseControl } from './pause-control.ts';

export type ProbeVerdict = 'valid' | 'refused' | 'unknown';

export interface CredentialsWatchOptions {
  readonly control: PauseControl;
  /** Asks Midtrans (or the key ring) whether the credentials of (merchant, family) work now. */
  readonly probe: (merchant: string, family: 'snap' | 'core') => Promise<ProbeVerdict>;
  readonly intervalMs?: number;
  readonly onChange?: (e: {
    readonly merchant: string;
    readonly family: 'snap' | 'core';
    readonly refused: boolean;
    /** Why, when it is known here (an HSM or KMS that cannot sign), not Midtrans refusing. */
    readonly detail?: string;
  }) => void;
}

export class CredentialsWatch {
  readonly #o: CredentialsWatchOptions;
  readonly #refused = new Map<string, { merchant: string; family: 'snap' | 'core'; reason: string }>();
  #timer: NodeJS.Timeout | undefined;
  #probing = false;

  constructor(opts: CredentialsWatchOptions) {
    this.#o = opts;
  }

  /** Midtrans (or the key ring) refused the credentials of (merchant, family); `detail` says why when known (an HSM's reason). */
  report(merchant: string, family: 'snap' | 'core', detail?: string): void {
    const key = `${merchant}/${family}`;
    const reason = `credentials refused: ${key}${detail === undefined ? '' : ` (${detail})`}`;
    const known = this.#refused.get(key);
    if (known && (detail === undefined || known.reason === reason)) return;
    this.#refused.set(key, { merchant, family, reason });
    this.#o.control.set(reason, true, (t) => t.api === family);
    // A new cause (the PIN fixed, now the token missing) replaces the old one on /readyz, set first so nothing resumes between.
    if (known) this.#o.control.set(known.reason, false);
    this.#o.onChange?.({ merchant, family, refused: true, ...(detail === undefined ? {} : { detail }) });
    this.#timer ??= setInterval(() => void this.check(), this.#o.intervalMs ?? 5_000);
    this.#timer.unref();
  }

  get refused(): string[] {
    return [...this.#refused.keys()];
  }

  /** Probes every refused credential set now (also called after a key reload). */
  async check(): Promise<void> {
    if (this.#probing) return;
    this.#probing = true;
    try {
      for (const [key, { merchant, family, reason }] of [...this.#refused]) {
        if ((await this.#o.probe(merchant, family).catch(() => 'unknown' as const)) !== 'valid') continue;
        this.#refused.delete(key);
        this.#o.control.set(reason, false);
        this.#o.onChange?.({ merchant, family, refused: false });
      }
    } finally {
      this.#probing = false;
    }
    if (this.#refused.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
