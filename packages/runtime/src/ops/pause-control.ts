// Why consumption stops: while Midtrans cannot be reached (a circuit breaker is open) or refuses our
// credentials, fetching more commands only fills memory with work that must wait — and a DLQ is
// never the answer. Each reason pauses the plugins it concerns; a plugin resumes when no reason is
// left. The same reasons are what /readyz reports.
export interface Pausable {
  readonly method: string;
  /** The Midtrans API family the plugin uses. */
  readonly api: 'snap' | 'core';
  pause(): void;
  resume(): void;
}

export class PauseControl {
  readonly #targets: readonly Pausable[];
  readonly #reasons = new Map<string, (t: Pausable) => boolean>();
  readonly #paused = new Set<string>();
  readonly #onChange: ((reasons: readonly string[]) => void) | undefined;

  constructor(targets: readonly Pausable[], onChange?: (reasons: readonly string[]) => void) {
    this.#targets = targets;
    this.#onChange = onChange;
  }

  /** Sets or clears a reason; `affects` picks the plugins it pauses (all by default). */
  set(reason: string, active: boolean, affects: (t: Pausable) => boolean = () => true): void {
    if (active === this.#reasons.has(reason)) return;
    if (active) this.#reasons.set(reason, affects);
    else this.#reasons.delete(reason);
    for (const t of this.#targets) {
      const stop = [...this.#reasons.values()].some((a) => a(t));
      if (stop && !this.#paused.has(t.method)) {
        this.#paused.add(t.method);
        t.pause();
      } else if (!stop && this.#paused.has(t.method)) {
        this.#paused.delete(t.method);
        t.resume();
      }
    }
    this.#onChange?.(this.reasons());
  }

  reasons(): string[] {
    return [...this.#reasons.keys()];
  }

  /** Methods whose consumption is paused now. */
  paused(): string[] {
    return [...this.#paused];
  }
}
