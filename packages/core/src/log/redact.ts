// Masking applied to every log line after serialisation: the last line of defence when a secret or
// a card number slips past the structured redaction (STYLE rule 9). Path redaction alone is not a
// PAN defence, so card-like numbers are masked wherever they appear in the text.

/** Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const CARD_LIKE = /(?<![0-9])[0-9]{12,19}(?![0-9])/g;

/** Masks Luhn-valid 12–19 digit runs to first 6 / last 4. */
export function maskCardNumbers(text: string): string {
  return text.replace(CARD_LIKE, (run) => (luhnValid(run) ? `${run.slice(0, 6)}${'*'.repeat(run.length - 10)}${run.slice(-4)}` : run));
}

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
    let out = maskCardNumbers(text.replace(PEM_BLOCK, '[private key]'));
    if (this.#values.size === 0) return out;
    this.#pattern ??= new RegExp([...this.#values.keys()].map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    out = out.replace(this.#pattern, '[secret]');
    return out;
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
