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
 * or receives them; any occurrence in a log line is replaced.
 */
export class SecretScrubber {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  register(value: string): void {
    // Very short values would mask ordinary words; real secrets are long.
    if (value.length < 8 || this.#values.has(value)) return;
    this.#values.add(value);
    this.#pattern = undefined;
  }

  scrub(text: string): string {
    let out = maskCardNumbers(text.replace(PEM_BLOCK, '[private key]'));
    if (this.#values.size === 0) return out;
    this.#pattern ??= new RegExp([...this.#values].map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    out = out.replace(this.#pattern, '[secret]');
    return out;
  }
}

/** The scrubber shared by every logger of the process. */
export const secretScrubber = new SecretScrubber();
