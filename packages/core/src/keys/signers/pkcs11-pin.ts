// A PIN the token refused is not offered again until it changes: HSMs lock the user PIN after a few
// wrong attempts, and a signer retrying every few minutes with a stale PIN file would lock it.
import { createHmac, randomBytes } from 'node:crypto';
import { Pkcs11Failure } from './pkcs11-errors.ts';

export const PIN_REFUSED = 'CKR_PIN_INCORRECT';
const REFUSED_AGAIN = `the token refused this PIN before (${PIN_REFUSED}); it is not offered again until the configured PIN changes or the worker restarts, so that the token does not lock it`;

export class PinGuard {
  readonly #read: () => string;
  /** PINs are compared by an HMAC under a key of this process: the PIN itself is not kept. */
  readonly #key = randomBytes(32);
  #offered: Buffer | undefined;
  #refused: Buffer | undefined;

  constructor(read: () => string) {
    this.#read = read;
  }

  /** The PIN, read now; throws when it is the one the token refused last, unchanged since. */
  readonly read = (): string => {
    const pin = this.#read();
    const digest = createHmac('sha256', this.#key).update(pin).digest();
    if (this.#refused?.equals(digest) === true) throw new Pkcs11Failure(REFUSED_AGAIN, PIN_REFUSED);
    // A different PIN: the refusal is history, and if the token now expects the old one it may be tried again.
    this.#refused = undefined;
    this.#offered = digest;
    return pin;
  };

  /** The token refused the PIN last read. */
  refused(): void {
    this.#refused = this.#offered;
  }
}
