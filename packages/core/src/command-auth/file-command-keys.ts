// Upstream keys from files: each upstream's public key files (one or more Ed25519 SPKI PEM blocks
// each) and the revocation list, all read again on every load, so a key is added, rotated or
// revoked by replacing a file and sending SIGHUP (or waiting for the file watch).
import { unwatchFile, watchFile } from 'node:fs';
import { ConfigError } from '../errors.ts';
import { parseRevocationList } from '../keys/revocation.ts';
import { readConfiguredFile, readSecretRef } from '../keys/secret-files.ts';
import {
  parseCommandPublicKeys,
  upstreamKey,
  type CommandAuthSettings,
  type CommandKeyMaterial,
  type CommandKeySource,
  type UpstreamKey,
} from './command-keys.ts';

const FIELD = 'commands.auth';

export class FileCommandKeySource implements CommandKeySource {
  readonly #settings: CommandAuthSettings;
  readonly #env: NodeJS.ProcessEnv;
  readonly #pollMs: number;

  constructor(settings: CommandAuthSettings, env: NodeJS.ProcessEnv = process.env, pollMs = 500) {
    this.#settings = settings;
    this.#env = env;
    this.#pollMs = pollMs;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so that every failure is a rejection
  async load(): Promise<CommandKeyMaterial> {
    const revoked = new Set([...this.#settings.revokedKeyFingerprints, ...this.#revocationList()]);
    const keys = new Map<string, UpstreamKey>();
    for (const [u, upstream] of this.#settings.upstreams.entries()) {
      const { publicKeyFiles, ...grant } = upstream;
      for (const [f, ref] of publicKeyFiles.entries()) {
        const field = `${FIELD}.upstreams.${String(u)}.publicKeyFiles.${String(f)}`;
        const text = readSecretRef(ref, field, { env: this.#env, private: false });
        for (const key of parseCommandPublicKeys(text, field)) {
          const entry = upstreamKey(key, grant, revoked);
          const other = keys.get(entry.keyId);
          // One key speaks for one upstream: the same key under two would make its grant ambiguous.
          if (other && other.grant !== grant)
            throw new ConfigError([
              `${field}: key ${entry.keyId} is also a key of upstream "${other.grant.name}"; a key belongs to one upstream`,
            ]);
          keys.set(entry.keyId, entry);
        }
      }
    }
    return { keys };
  }

  /** Re-read on every load: revocation without restart. */
  #revocationList(): string[] {
    const file = this.#settings.revocationListFile;
    const field = `${FIELD}.revocationListFile`;
    return file === undefined ? [] : parseRevocationList(readConfiguredFile(file, field), field);
  }

  watch(onChange: () => void): () => void {
    const files = this.#settings.upstreams
      .flatMap((u) => u.publicKeyFiles)
      .concat(this.#settings.revocationListFile ?? [])
      .filter((f) => !f.startsWith('env:'));
    const listener = (): void => onChange();
    for (const f of files) watchFile(f, { interval: this.#pollMs, persistent: false }, listener);
    return () => {
      for (const f of files) unwatchFile(f, listener);
    };
  }
}
