// Key material from files and the environment: every credential set's private key, client secret and
// server key, the trusted Midtrans public keys and the revocation list, checked as they are read.
import { unwatchFile, watchFile } from 'node:fs';
import type { CoreConfig, CredentialSetConfig } from '../config/schema.ts';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';
import { secretScrubber } from '../log/redact.ts';
import { Secret } from '../secret.ts';
import type { KeyMaterial, KeySource, MerchantKeys, RevocablePart } from './key-ring.ts';
import { keyId, loadMerchantPrivateKey, loadRsaPublicKey, spkiFingerprint } from './pem.ts';
import { parseRevocationList, secretFingerprint } from './revocation.ts';
import { readConfiguredFile, readSecretRef } from './secret-files.ts';

/** What a file key source reads; the event key files are only watched (core's container reads them on reload). */
type FileKeyConfig = Pick<CoreConfig, 'merchants' | 'midtransPublicKeyFiles' | 'revokedKeyFingerprints' | 'revocationListFile'> &
  Partial<Pick<CoreConfig, 'events' | 'allowInsecureKeyFilePermissions'>>;

/** The parts of a credential set found on the revocation list, in the words of an operator. */
function revokedParts(fingerprints: Readonly<Record<RevocablePart, string | undefined>>, revoked: ReadonlySet<string>): RevocablePart[] {
  return (Object.keys(fingerprints) as RevocablePart[]).filter((part) => {
    const fingerprint = fingerprints[part];
    return fingerprint !== undefined && revoked.has(fingerprint);
  });
}

export class FileKeySource implements KeySource {
  readonly #config: FileKeyConfig;
  readonly #env: NodeJS.ProcessEnv;
  readonly #pollMs: number;

  constructor(config: FileKeyConfig, env: NodeJS.ProcessEnv = process.env, pollMs = 500) {
    this.#config = config;
    this.#env = env;
    this.#pollMs = pollMs;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so that every failure is a rejection
  async load(): Promise<KeyMaterial> {
    const revoked = new Set([...this.#config.revokedKeyFingerprints, ...this.#revocationList()]);
    const merchants = new Map<string, MerchantKeys>();
    for (const [name, m] of Object.entries(this.#config.merchants)) merchants.set(name, this.#merchant(name, m, revoked));
    const midtransKeys = this.#config.midtransPublicKeyFiles
      .map((ref, i) =>
        loadRsaPublicKey(this.#read(ref, `midtransPublicKeyFiles.${String(i)}`, false), `Midtrans public key #${String(i + 1)}`),
      )
      .map((key) => ({ key, keyId: keyId(key), fingerprint: spkiFingerprint(key) }))
      .filter((k) => !revoked.has(k.fingerprint));
    if (midtransKeys.length === 0)
      throw new KeyError(codes.PS_ERR_KEY_REVOKED, {
        what: 'every configured Midtrans public key is',
        consequence: 'notifications could never be verified',
      });
    return { merchants, midtransKeys, revoked };
  }

  #merchant(name: string, m: CredentialSetConfig, revoked: ReadonlySet<string>): MerchantKeys {
    const field = `merchants.${name}`;
    const privateKey = loadMerchantPrivateKey(
      this.#read(m.privateKeyFile, `${field}.privateKeyFile`, true),
      `The private key of merchant "${name}"`,
    );
    const secret = this.#read(m.clientSecretFile, `${field}.clientSecretFile`, true).trim();
    if (secret === '')
      throw new KeyError(codes.PS_ERR_KEY_MISSING, {
        field: `${field}.clientSecretFile`,
        problem: `the client secret of merchant "${name}" is empty`,
      });
    const serverKey = m.serverKeyFile === undefined ? undefined : this.#read(m.serverKeyFile, `${field}.serverKeyFile`, true).trim();
    secretScrubber.register(secret);
    if (serverKey !== undefined) secretScrubber.register(serverKey);
    const fingerprints = {
      'private key': spkiFingerprint(privateKey),
      'client secret': secretFingerprint(secret),
      'server key': serverKey === undefined ? undefined : secretFingerprint(serverKey),
    };
    const revokedPartsOf = revokedParts(fingerprints, revoked);
    return {
      name,
      clientId: m.clientId,
      partnerId: m.partnerId,
      channelId: m.channelId,
      merchantId: m.merchantId,
      deviceId: m.deviceId,
      virtualAccounts: m.virtualAccounts,
      privateKey,
      privateKeyFingerprint: fingerprints['private key'],
      clientSecret: new Secret(secret, 'client secret'),
      // A revoked server key is withheld: nothing may authenticate or verify a notification with it.
      serverKey: serverKey === undefined || revokedPartsOf.includes('server key') ? undefined : new Secret(serverKey, 'server key'),
      revoked: revokedPartsOf.length > 0,
      revokedParts: revokedPartsOf,
    };
  }

  #read(ref: string, field: string, isPrivate: boolean): string {
    return readSecretRef(ref, field, {
      env: this.#env,
      private: isPrivate,
      allowInsecurePermissions: this.#config.allowInsecureKeyFilePermissions === true,
    });
  }

  /** Re-read on every load: revocation without restart. */
  #revocationList(): string[] {
    const file = this.#config.revocationListFile;
    return file === undefined ? [] : parseRevocationList(readConfiguredFile(file, 'revocationListFile'), 'revocationListFile');
  }

  watch(onChange: () => void): () => void {
    const files = Object.values(this.#config.merchants)
      .flatMap((m) => [m.privateKeyFile, m.clientSecretFile, m.serverKeyFile])
      .concat(
        this.#config.midtransPublicKeyFiles,
        this.#config.revocationListFile ?? [],
        this.#config.events?.signingKeyFiles ?? [],
        this.#config.events?.encryptionKeyFiles ?? [],
      )
      .filter((f): f is string => f !== undefined && !f.startsWith('env:'));
    const listener = (): void => onChange();
    for (const f of files) watchFile(f, { interval: this.#pollMs, persistent: false }, listener);
    return () => {
      for (const f of files) unwatchFile(f, listener);
    };
  }
}
