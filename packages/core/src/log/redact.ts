// Masking applied to every log line after serialisation: the last line of defence when a secret or
// a card number slips past the structured redaction (STYLE rule 9). Path redaction alone is not a
// PAN defence, so card numbers are masked wherever they appear in the text, read as the runtime's
// command guard reads them (cards/): grouped, in any Unicode digits, behind escapes.
import { maskCardText } from '../cards/index.ts';

/**
 * Masks every card-like number of the text to first 6 / last 4: any Luhn-valid 12–19 digit number,
 * however written or grouped, so every card the runtime's guard would refuse is masked here too.
 */
export const maskCardNumbers = (text: string): string => maskCardText(text);

const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

/**
 * Known secret values (client secrets, server keys, access tokens) registered by core as it loads
 * or receives them; any occurrence in a log line is replaced. A value registered with an expiry is
 * forgotten once it passes (lazily, on the next registration or scrub), so a token cache that issues
 * a hundred tokens a day does not grow the pattern for ever.
 */
export class SecretScrubber {
  /** Value → the time it is forgotten (Infinity: never). */
  readonly #values = new Map<string, number>();
  readonly #now: () => number;
  /** Expiring values (access tokens) kept at most; the soonest to expire goes first. */
  readonly #maxExpiring: number;
  #expiring = 0;
  #nextExpiryMs = Infinity;
  #pattern: RegExp | undefined;

  constructor({ now = Date.now, maxExpiring = 4096 }: { now?: () => number; maxExpiring?: number } = {}) {
    this.#now = now;
    this.#maxExpiring = maxExpiring;
  }

  /** Values currently scrubbed. */
  get size(): number {
    this.#forgetExpired();
    return this.#values.size;
  }

  register(value: string, { expiresAtMs = Infinity }: { expiresAtMs?: number } = {}): void {
    // Very short values would mask ordinary words; real secrets are long.
    if (value.length < 8 || expiresAtMs <= this.#now()) return;
    this.#forgetExpired();
    const known = this.#values.get(value);
    if (known !== undefined && known >= expiresAtMs) return;
    if (known !== undefined) this.#forget(value);
    if (expiresAtMs !== Infinity && this.#expiring >= this.#maxExpiring) this.#forget(this.#soonestExpiring());
    this.#values.set(value, expiresAtMs);
    if (expiresAtMs !== Infinity) this.#expiring++;
    this.#nextExpiryMs = Math.min(this.#nextExpiryMs, expiresAtMs);
    this.#pattern = undefined;
  }

  scrub(text: string): string {
    this.#forgetExpired();
    let out = text.replace(PEM_BLOCK, '[private key]');
    if (this.#values.size > 0) {
      this.#pattern ??= new RegExp([...this.#values.keys()].map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
      out = out.replace(this.#pattern, '[secret]');
    }
    // Cards last: masking digits inside a registered secret first would leave it unrecognised.
    return maskCardNumbers(out);
  }

  #forgetExpired(): void {
    const now = this.#now();
    if (now < this.#nextExpiryMs) return;
    this.#nextExpiryMs = Infinity;
    for (const [value, expiresAtMs] of this.#values) {
      if (expiresAtMs <= now) this.#forget(value);
      else this.#nextExpiryMs = Math.min(this.#nextExpiryMs, expiresAtMs);
    }
  }

  #soonestExpiring(): string {
    let soonest: [string, number] = ['', Infinity];
    for (const entry of this.#values) if (entry[1] < soonest[1]) soonest = entry;
    return soonest[0];
  }

  #forget(value: string): void {
    const expiresAtMs = this.#values.get(value);
    if (expiresAtMs === undefined) return;
    if (expiresAtMs !== Infinity) this.#expiring--;
    this.#values.delete(value);
    this.#pattern = undefined;
  }
}

/** The scrubber shared by every logger of the process. */
export const secretScrubber = new SecretScrubber();
