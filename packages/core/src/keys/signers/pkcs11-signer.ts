// The merchant key inside an HSM, reached through its PKCS#11 module: the token signs, the key
// never leaves it. The signer opens the token at first use, refuses a token key that is not the
// configured public key, and recovers by itself from a lost session, a fixed PIN or a token that
// appears late.
import { verify, type KeyObject } from 'node:crypto';
import { codes } from '../../error-catalogue/index.ts';
import { KeyError } from '../../errors.ts';
import { keyId, spkiFingerprint } from '../pem.ts';
import { MERCHANT_SIGNATURE_ALGORITHM, type Signer, type SignerStatus } from '../signer.ts';
import { duringAsync, during, Pkcs11Failure } from './pkcs11-errors.ts';
import { openSigningKey, type OpenedKey } from './pkcs11-key.ts';
import { pkcs11js, pkcs11Module, type Pkcs11Module } from './pkcs11-module.ts';
import { PIN_REFUSED, PinGuard } from './pkcs11-pin.ts';
import { checkTarget, type Pkcs11Address, type Pkcs11Target } from './pkcs11-target.ts';
import { closeSession } from './pkcs11-token.ts';

export { finalizePkcs11Modules } from './pkcs11-module.ts';
export { generatePkcs11Key, type GeneratePkcs11KeyOptions, type GeneratedPkcs11Key } from './pkcs11-generate.ts';

export interface Pkcs11SignerOptions extends Pkcs11Address {
  /** The user PIN, read at every (re)open, so that fixing a PIN file is enough to recover. */
  readonly pin: () => string;
  /** The configured public key, as registered with Midtrans: the token's key must be this one. */
  readonly publicKey: KeyObject;
  /** `The private key of merchant "default"`: the subject of every error. */
  readonly what: string;
}

/**
 * Ready only once the token has been opened (by `open()` or a signature): until then nothing is known
 * about the token, and a probe that reported ready would promise a signature that may fail.
 */
const NOT_OPENED: SignerStatus = { ready: false, reason: 'not opened yet: the token is opened at the first signature' };
const CLOSED = 'the signer is closed';

export class Pkcs11Signer implements Signer {
  readonly kind = 'pkcs11' as const;
  readonly algorithm = MERCHANT_SIGNATURE_ALGORITHM;
  readonly publicKey: KeyObject;
  readonly fingerprint: string;
  readonly keyId: string;
  readonly location: string;
  readonly #target: Pkcs11Target;
  readonly #pin: PinGuard;
  readonly #what: string;
  readonly #signatureBytes: number;
  #opened: OpenedKey | undefined;
  #status: SignerStatus = NOT_OPENED;
  #closed = false;

  /** Checks the address (module file, token, key) now; the token itself is opened at first use. */
  constructor(options: Pkcs11SignerOptions) {
    this.#target = checkTarget(options, options.what);
    this.#pin = new PinGuard(options.pin);
    this.#what = options.what;
    this.publicKey = options.publicKey;
    this.fingerprint = spkiFingerprint(options.publicKey);
    this.keyId = keyId(options.publicKey);
    this.location = this.#target.location;
    this.#signatureBytes = Math.ceil((options.publicKey.asymmetricKeyDetails?.modulusLength ?? 4096) / 8);
  }

  /** Opens the token now instead of at the first signature; rejects as `sign()` would. */
  open(): Promise<void> {
    return this.#run((module) => {
      this.#ensureOpen(module);
    });
  }

  sign(data: Uint8Array): Promise<Buffer> {
    return this.#run(async (module) => {
      try {
        return await this.#signOnce(module, data);
      } catch (err) {
        if (!(err instanceof Pkcs11Failure) || !err.sessionLost) throw err;
        // Once: drop the session (re-initialising a module finalised behind our back) and start over.
        this.#drop(module);
        if (err.returnValue === 'CKR_CRYPTOKI_NOT_INITIALIZED') during('re-initialising the PKCS#11 module', () => module.reinitialise());
        return await this.#signOnce(module, data);
      }
    });
  }

  status(): SignerStatus {
    return this.#status;
  }

  /** Closes the session (the token logs the user out when its last session closes); the module stays loaded. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#status = { ready: false, reason: CLOSED };
    const opened = this.#opened;
    this.#opened = undefined;
    if (opened === undefined) return;
    try {
      const module = pkcs11Module(this.#target.module);
      await module.run((lib) => {
        if (module.generation === opened.generation) closeSession(lib, opened.session);
      });
    } catch {
      // The module is gone, and the session with it.
    }
  }

  /** Runs `task` in the module's queue, keeping the status and turning every failure into a KeyError. */
  async #run<T>(task: (module: Pkcs11Module) => T | Promise<T>): Promise<T> {
    try {
      if (this.#closed) throw new Pkcs11Failure(CLOSED);
      const module = pkcs11Module(this.#target.module);
      return await module.run(async () => {
        const result = await task(module);
        if (!this.#closed) this.#status = { ready: true };
        return result;
      });
    } catch (err) {
      if (err instanceof Pkcs11Failure && err.returnValue === PIN_REFUSED) this.#pin.refused();
      throw this.#failed(err);
    }
  }

  async #signOnce(module: Pkcs11Module, data: Uint8Array): Promise<Buffer> {
    const { session, key } = this.#ensureOpen(module);
    const { lib } = module;
    during('starting the signature', () => lib.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key));
    const signature = await duringAsync('signing', () => lib.C_SignAsync(session, Buffer.from(data), Buffer.alloc(this.#signatureBytes)));
    // Never handed out unchecked: handles gone stale behind the signer's back (the module finalised and
    // initialised by other code in the process) can name another session's key.
    if (!verify('RSA-SHA256', data, this.publicKey, signature))
      throw new Pkcs11Failure('the token returned a signature that the configured public key does not verify', undefined, true);
    return signature;
  }

  /** The open session and key, opening them when there are none or they belong to an earlier initialisation. */
  #ensureOpen(module: Pkcs11Module): OpenedKey {
    if (this.#opened !== undefined && this.#opened.generation !== module.generation) this.#opened = undefined;
    if (this.#opened !== undefined) return this.#opened;
    const opened = openSigningKey(module, this.#target, this.#pin.read);
    const actual = spkiFingerprint(opened.publicKey);
    if (actual !== this.fingerprint) {
      // A wrong key label or id must never sign: the session is closed and the open refused.
      closeSession(module.lib, opened.session);
      throw new KeyError(codes.PS_ERR_SIGNER_KEY_MISMATCH, {
        what: this.#what,
        location: this.location,
        actual,
        expected: this.fingerprint,
      });
    }
    this.#opened = opened;
    return opened;
  }

  /** Forgets the session, closing it only while its handle still belongs to this initialisation. */
  #drop(module: Pkcs11Module): void {
    const opened = this.#opened;
    this.#opened = undefined;
    if (opened !== undefined && opened.generation === module.generation) closeSession(module.lib, opened.session);
  }

  #failed(err: unknown): KeyError {
    if (err instanceof KeyError) {
      this.#status = { ready: false, reason: err.message };
      return err as KeyError;
    }
    const reason =
      err instanceof Pkcs11Failure ? err.reason : `the PKCS#11 signer failed unexpectedly${err instanceof Error ? `: ${err.message}` : ''}`;
    if (!this.#closed || reason === CLOSED) this.#status = { ready: false, reason };
    return new KeyError(codes.PS_ERR_SIGNER_UNAVAILABLE, { what: this.#what, location: this.location, reason });
  }
}
