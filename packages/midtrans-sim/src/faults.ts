// Fault injection per endpoint: for the next N calls or with a probability, answer late, not at all,
// reset the connection, or answer with one of Midtrans' transient codes.
export type FaultKind =
  'latency' | 'no-answer' | 'reset' | 'error-500' | 'error-504' | 'in-progress-202' | 'rate-limit-429' | 'token-expired';

export interface Fault {
  readonly kind: FaultKind;
  /** Path prefix it applies to, `*` for every Midtrans endpoint. */
  readonly path: string;
  remaining?: number;
  readonly probability?: number;
  readonly latencyMs?: number;
  /**
   * Midtrans handles the request and the fault replaces its answer (a 504 or a reset after the
   * charge was made): only for the kinds that answer — no-answer, reset, error-*, in-progress-202,
   * rate-limit-429.
   */
  readonly processed?: boolean;
  /** Requests it was applied to so far. */
  hits?: number;
}

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'no-answer',
  'reset',
  'error-500',
  'error-504',
  'in-progress-202',
  'rate-limit-429',
  'token-expired',
];

export class Faults {
  readonly #faults: Fault[] = [];

  add(fault: Fault): void {
    if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind "${fault.kind}"; one of ${FAULT_KINDS.join(', ')}`);
    this.#faults.push({ ...fault, hits: 0 });
  }

  clear(): void {
    this.#faults.length = 0;
  }

  list(): readonly Fault[] {
    return this.#faults;
  }

  /** The fault to apply to this request, consuming one of its remaining uses. */
  pick(path: string, random: () => number = Math.random): Fault | undefined {
    for (const f of this.#faults) {
      if (f.path !== '*' && !path.startsWith(f.path)) continue;
      if (f.remaining !== undefined) {
        if (f.remaining <= 0) continue;
        f.remaining--;
      } else if (random() >= (f.probability ?? 1)) continue;
      f.hits = (f.hits ?? 0) + 1;
      return f;
    }
    return undefined;
  }
}
