// The upstream keys a worker verifies commands with, held like core's key ring: several keys valid
// at once during a rotation, a revocation list, material swapped atomically on reload (SIGHUP or a
// changed file) and the last good material kept when a reload fails.
import { ReloadableMaterial, type ReloadListener } from '../keys/reloadable.ts';
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
  readonly #held: ReloadableMaterial<CommandKeyMaterial>;
  readonly #options: CommandKeyRingOptions;

  private constructor(held: ReloadableMaterial<CommandKeyMaterial>, options: CommandKeyRingOptions) {
    this.#held = held;
    this.#options = options;
  }

  get #material(): CommandKeyMaterial {
    return this.#held.current;
  }

  /** Loads every upstream key; a file that cannot be read or holds no Ed25519 key stops the start. */
  static async open(source: CommandKeySource, options: CommandKeyRingOptions): Promise<CommandKeyRing> {
    const held = new ReloadableMaterial(source, await source.load(), 'command keys', options.watch !== false);
    return new CommandKeyRing(held, options);
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
    return this.#held.onReload(listener);
  }

  /** Re-reads the source; coalesces concurrent triggers (SIGHUP and file change at once). */
  reload(): Promise<void> {
    return this.#held.reload();
  }

  close(): void {
    this.#held.close();
  }
}
