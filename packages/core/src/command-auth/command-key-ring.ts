// The upstream keys a worker verifies commands with, held like core's key ring: several keys valid
// at once during a rotation, a revocation list, material swapped atomically on reload (SIGHUP or a
// changed file) and the last good material kept when a reload fails.
import { PaystreamError } from '../errors.ts';
import type { ReloadListener } from '../keys/key-ring.ts';
import type { CommandKeyMaterial, CommandKeySource } from './command-keys.ts';
import { signerDenies, verifyCommand, type CommandSigner, type CommandVerdict, type SignedCommand } from './verify.ts';

export interface CommandKeyRingOptions {
  /** Refuse commands that carry no signature (`commands.auth.required`). */
  readonly required: boolean;
  /** The merchant a command without one is for, as the allow-list's `merchants` name it. */
  readonly defaultMerchant: string;
  /** Follow the source's changes (file watch); on by default. */
  readonly watch?: boolean;
}

export class CommandKeyRing {
  #material: CommandKeyMaterial;
  readonly #source: CommandKeySource;
  readonly #options: CommandKeyRingOptions;
  readonly #listeners = new Set<ReloadListener>();
  #unwatch: (() => void) | undefined;
  #reloading: Promise<void> | undefined;

  private constructor(source: CommandKeySource, material: CommandKeyMaterial, options: CommandKeyRingOptions) {
    this.#source = source;
    this.#material = material;
    this.#options = options;
  }

  /** Loads every upstream key; a file that cannot be read or holds no Ed25519 key stops the start. */
  static async open(source: CommandKeySource, options: CommandKeyRingOptions): Promise<CommandKeyRing> {
    const ring = new CommandKeyRing(source, await source.load(), options);
    if (options.watch !== false && source.watch) ring.#unwatch = source.watch(() => void ring.reload());
    return ring;
  }

  get required(): boolean {
    return this.#options.required;
  }

  /** Verifies one command's signature over its exact value bytes with the current keys. */
  verify(command: SignedCommand): CommandVerdict {
    return verifyCommand(this.#material, command, this.#options.required);
  }

  /** What of a parsed command its signer may not send, or undefined when its grant allows all of it. */
  denies(
    signer: CommandSigner,
    command: { readonly method: string; readonly type: string; readonly merchant?: string | undefined },
  ): string | undefined {
    return signerDenies(signer, { ...command, merchant: command.merchant ?? this.#options.defaultMerchant });
  }

  /** The keys as `config check` shows them: ids, fingerprints, upstreams and whether revoked. */
  keys(): { keyId: string; sha256: string; upstream: string; revoked: boolean }[] {
    return [...this.#material.keys.values()].map((k) => ({
      keyId: k.keyId,
      sha256: k.fingerprint,
      upstream: k.grant.name,
      revoked: k.revoked,
    }));
  }

  onReload(listener: ReloadListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-reads the source; coalesces concurrent triggers (SIGHUP and file change at once). */
  reload(): Promise<void> {
    this.#reloading ??= this.#doReload().finally(() => (this.#reloading = undefined));
    return this.#reloading;
  }

  async #doReload(): Promise<void> {
    try {
      this.#material = await this.#source.load();
      for (const l of this.#listeners) l({ ok: true });
    } catch (err) {
      const error = PaystreamError.is(err) ? `${err.code}: ${err.message}` : 'command keys could not be loaded';
      for (const l of this.#listeners) l({ ok: false, error });
    }
  }

  close(): void {
    this.#unwatch?.();
  }
}

/** SIGHUP reloads the upstream keys; returns the function that removes the handler. */
export function reloadCommandKeysOnSighup(ring: CommandKeyRing): () => void {
  const handler = (): void => void ring.reload();
  process.on('SIGHUP', handler);
  return () => process.off('SIGHUP', handler);
}
