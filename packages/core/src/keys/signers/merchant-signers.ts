// Turns the content of a merchant's privateKeyFile into a Signer: a PEM key (plain or encrypted)
// signs in process; a key reference opens the HSM or KMS signer it names. Remote signers are kept
// across reloads while their reference is unchanged, so a reload does not reopen HSM sessions.
import type { CoreConfig } from '../../config/schema.ts';
import { codes } from '../../error-catalogue/index.ts';
import { KeyError } from '../../errors.ts';
import { isKeyReference, parseKeyReference, type KeyReference } from '../key-reference.ts';
import { isEncryptedPem, loadMerchantPrivateKey, type Passphrase } from '../pem.ts';
import type { Signer } from '../signer.ts';
import { FileSigner } from './file-signer.ts';
import { loadPkcs11 } from './pkcs11-loading.ts';

type KeyStores = CoreConfig['keyStores'];

export interface SignerSource {
  /** The text of the privateKeyFile. */
  readonly text: string;
  /** Its path or `env:NAME`: where the key lives, for operators. */
  readonly ref: string;
  /** The configuration field naming it (`merchants.default.privateKeyFile`). */
  readonly field: string;
  /** `The private key of merchant "default"`. */
  readonly what: string;
  readonly passphrase: Passphrase;
  /** Refuse a plain (unencrypted) private key file. */
  readonly requireEncrypted: boolean;
}

/** How long a replaced remote signer stays open for a signature already under way. */
const RETIRE_AFTER_MS = 30_000;

export class MerchantSigners {
  readonly #stores: KeyStores;
  readonly #readPin: (field: string) => string;
  readonly #remote = new Map<string, Signer>();

  /** `readSecret` reads a secret reference (a file or env:NAME); the PIN is read through it afresh at each session open. */
  constructor(stores: KeyStores, readSecret: (ref: string, field: string) => string) {
    this.#stores = stores;
    this.#readPin = (field) => {
      const pinFile = this.#stores.pkcs11?.pinFile;
      if (pinFile === undefined) throw new KeyError(codes.PS_ERR_KEY_MISSING, { field, problem: 'is not configured' });
      return readSecret(pinFile, field).trim();
    };
  }

  async signerFor(source: SignerSource): Promise<Signer> {
    if (isKeyReference(source.text)) return this.#remoteSigner(source);
    if (source.requireEncrypted && !isEncryptedPem(source.text)) throw new KeyError(codes.PS_ERR_KEY_NOT_ENCRYPTED, { what: source.what });
    return new FileSigner(loadMerchantPrivateKey(source.text, source.what, source.passphrase), source.ref);
  }

  async #remoteSigner(source: SignerSource): Promise<Signer> {
    const cacheKey = `${source.field}\n${source.text.trim()}`;
    const kept = this.#remote.get(cacheKey);
    if (kept) return kept;
    const signer = await this.#open(parseKeyReference(source.text, source.what), source);
    for (const [key, old] of this.#remote)
      if (key.startsWith(`${source.field}\n`)) {
        this.#remote.delete(key);
        setTimeout(() => void old.close(), RETIRE_AFTER_MS).unref();
      }
    this.#remote.set(cacheKey, signer);
    return signer;
  }

  async #open(ref: KeyReference, source: SignerSource): Promise<Signer> {
    if (ref.store === 'pkcs11') {
      const store = this.#stores.pkcs11;
      if (store === undefined)
        throw new KeyError(codes.PS_ERR_KEY_MISSING, {
          field: 'keyStores.pkcs11',
          problem: `is needed by ${source.field} (a pkcs11: key)`,
        });
      const { Pkcs11Signer } = await loadPkcs11();
      return new Pkcs11Signer({
        module: store.module,
        ...(ref.slot === undefined ? {} : { slot: ref.slot }),
        ...(ref.tokenLabel === undefined ? {} : { tokenLabel: ref.tokenLabel }),
        ...(ref.keyLabel === undefined ? {} : { keyLabel: ref.keyLabel }),
        ...(ref.keyId === undefined ? {} : { keyId: ref.keyId }),
        pin: () => this.#readPin('keyStores.pkcs11.pinFile'),
        publicKey: ref.publicKey,
        what: source.what,
      });
    }
    const store = this.#stores.kms;
    const { KmsSigner } = await import('./kms-signer.ts');
    return new KmsSigner({
      keyId: ref.keyId,
      ...(store?.region === undefined ? {} : { region: store.region }),
      ...(store?.endpoint === undefined ? {} : { endpoint: store.endpoint }),
      timeoutMs: store?.timeoutMs ?? 5_000,
      publicKey: ref.publicKey,
      what: source.what,
    });
  }

  /** Every remote signer in use (for probes and shutdown). */
  remote(): Signer[] {
    return [...this.#remote.values()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.#remote.values()].map((s) => s.close()));
    this.#remote.clear();
  }
}
