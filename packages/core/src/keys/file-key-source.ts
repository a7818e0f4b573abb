// Key material from files and the environment: every credential set's private key, client secret and
// server key, the trusted Midtrans public keys and the revocation list, checked as they are read.
import { unwatchFile, watchFile } from 'node:fs';
import type { CoreConfig, CredentialSetConfig } from '../config/schema.ts';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';
import { secretScrubber } from '../log/redact.ts';
import { Secret } from '../secret.ts';
import type { KeyMaterial, KeySource, MerchantKeys, RevocablePart } from './key-ring.ts';
import { isKeyReference } from './key-reference.ts';
import { isEncryptedPem, keyId, loadRsaPublicKey, spkiFingerprint } from './pem.ts';
import { parseRevocationList, secretFingerprint } from './revocation.ts';
import { readConfiguredFile, readPassphrase, readSecretRef } from './secret-files.ts';
import { MerchantSigners } from './signers/merchant-signers.ts';

/** What a file key source reads; the event key files are only watched (core's container reads them on reload). */
type FileKeyConfig = Pick<CoreConfig, 'merchants' | 'midtransPublicKeyFiles' | 'revokedKeyFingerprints' | 'revocationListFile'> &
  Partial<Pick<CoreConfig, 'events' | 'allowInsecureKeyFilePermissions' | 'security' | 'keyStores'>>;

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
  readonly #signers: MerchantSigners;

  constructor(config: FileKeyConfig, env: NodeJS.ProcessEnv = process.env, pollMs = 500) {
    this.#config = config;
    this.#env = env;
    this.#pollMs = pollMs;
    this.#signers = new MerchantSigners(config.keyStores ?? {}, (ref, field) => this.#read(ref, field, true));
  }

  async load(): Promise<KeyMaterial> {
    const revoked = new Set([...this.#config.revokedKeyFingerprints, ...this.#revocationList()]);
    const merchants = new Map<string, MerchantKeys>();
    for (const [name, m] of Object.entries(this.#config.merchants)) merchants.set(name, await this.#merchant(name, m, revoked));
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

  async #merchant(name: string, m: CredentialSetConfig, revoked: ReadonlySet<string>): Promise<MerchantKeys> {
    const field = `merchants.${name}`;
    const keyText = this.#read(m.privateKeyFile, `${field}.privateKeyFile`, true);
    const passphraseField = `${field}.privateKeyPassphraseFile`;
    const passphraseRef = m.privateKeyPassphraseFile;
    const signer = await this.#signers.signerFor({
      text: keyText,
      ref: m.privateKeyFile,
      field: `${field}.privateKeyFile`,
      what: `The private key of merchant "${name}"`,
      passphrase: {
        field: passphraseField,
        read: passphraseRef === undefined ? undefined : () => readPassphrase(passphraseRef, passphraseField, this.#refOptions()),
      },
      requireEncrypted: this.#config.security?.requireEncryptedKeys === true,
    });
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
      'private key': signer.fingerprint,
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
      signer,
      plainKeyFile: !isKeyReference(keyText) && !isEncryptedPem(keyText),
      clientSecret: new Secret(secret, 'client secret'),
      // A revoked server key is withheld: nothing may authenticate or verify a notification with it.
      serverKey: serverKey === undefined || revokedPartsOf.includes('server key') ? undefined : new Secret(serverKey, 'server key'),
      revoked: revokedPartsOf.length > 0,
      revokedParts: revokedPartsOf,
    };
  }

  #read(ref: string, field: string, isPrivate: boolean): string {
    return readSecretRef(ref, field, { ...this.#refOptions(), private: isPrivate });
  }

  #refOptions(): { env: NodeJS.ProcessEnv; allowInsecurePermissions: boolean } {
    return { env: this.#env, allowInsecurePermissions: this.#config.allowInsecureKeyFilePermissions === true };
  }

  /** Re-read on every load: revocation without restart. */
  #revocationList(): string[] {
    const file = this.#config.revocationListFile;
    return file === undefined ? [] : parseRevocationList(readConfiguredFile(file, 'revocationListFile'), 'revocationListFile');
  }

  close(): Promise<void> {
    return this.#signers.close();
  }

  watch(onChange: () => void): () => void {
    const files = Object.values(this.#config.merchants)
      .flatMap((m) => [m.privateKeyFile, m.privateKeyPassphraseFile, m.clientSecretFile, m.serverKeyFile])
      .concat(
        this.#config.midtransPublicKeyFiles,
        this.#config.revocationListFile ?? [],
        this.#config.events?.signingKeyFiles ?? [],
        this.#config.events?.signingKeyPassphraseFile ?? [],
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
