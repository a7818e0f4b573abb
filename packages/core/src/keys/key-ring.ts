// The key ring: every credential set's keys and secrets, the trusted Midtrans public keys and the
// revocation list. Material is swapped atomically on reload, so a call signs with either the old or
// the new material, never a mix; a failed reload keeps the last good material.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { CoreConfig } from '../config/schema.ts';
import { KeyError, PaystreamError } from '../errors.ts';
import { secretScrubber } from '../log/redact.ts';
import { Secret } from '../secret.ts';
import { keyId, loadMerchantPrivateKey, loadRsaPublicKey, spkiFingerprint } from './pem.ts';

export interface MerchantKeys {
  readonly name: string;
  readonly clientId: string;
  readonly partnerId: string;
  readonly channelId: string;
  readonly merchantId: string | undefined;
  readonly deviceId: string;
  /** partnerServiceId per bank for BI-SNAP virtual accounts. */
  readonly virtualAccounts: Readonly<Partial<Record<string, string>>>;
  readonly privateKey: KeyObject;
  readonly privateKeyFingerprint: string;
  readonly clientSecret: Secret;
  readonly serverKey: Secret | undefined;
  /** Set when the merchant key appears on the revocation list after start: calls must stop. */
  readonly revoked: boolean;
}

export interface TrustedKey {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly key: KeyObject;
}

export interface KeyMaterial {
  readonly merchants: ReadonlyMap<string, MerchantKeys>;
  readonly midtransKeys: readonly TrustedKey[];
  readonly revoked: ReadonlySet<string>;
}

/** Where key material comes from: files and environment here; a KMS adapter implements the same. */
export interface KeySource {
  load(): Promise<KeyMaterial>;
  /** Calls back when the material may have changed; returns the unsubscribe function. */
  watch?(onChange: () => void): () => void;
}

/** Reads `env:NAME` from the environment, anything else as a file path. */
function readSecretRef(ref: string, env: NodeJS.ProcessEnv): string {
  if (ref.startsWith('env:')) {
    const value = env[ref.slice(4)];
    if (value === undefined || value === '') throw new KeyError('PS_ERR_KEY_MISSING', `environment variable ${ref.slice(4)} is not set`);
    return value;
  }
  try {
    return readFileSync(ref, 'utf8');
  } catch {
    throw new KeyError('PS_ERR_KEY_MISSING', `cannot read ${ref}`);
  }
}

/** What a file key source reads; the event key files are only watched (core's container reads them on reload). */
type FileKeyConfig = Pick<CoreConfig, 'merchants' | 'midtransPublicKeyFiles' | 'revokedKeyFingerprints' | 'revocationListFile'> & Partial<Pick<CoreConfig, 'events'>>;

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
    for (const [name, m] of Object.entries(this.#config.merchants)) {
      const privateKey = loadMerchantPrivateKey(readSecretRef(m.privateKeyFile, this.#env), `The private key of merchant "${name}"`);
      const fingerprint = spkiFingerprint(privateKey);
      const secret = readSecretRef(m.clientSecretFile, this.#env).trim();
      if (secret === '') throw new KeyError('PS_ERR_KEY_MISSING', `the client secret of merchant "${name}" is empty`);
      const serverKey = m.serverKeyFile === undefined ? undefined : readSecretRef(m.serverKeyFile, this.#env).trim();
      secretScrubber.register(secret);
      if (serverKey !== undefined) secretScrubber.register(serverKey);
      merchants.set(name, {
        name,
        clientId: m.clientId,
        partnerId: m.partnerId,
        channelId: m.channelId,
        merchantId: m.merchantId,
        deviceId: m.deviceId,
        virtualAccounts: m.virtualAccounts,
        privateKey,
        privateKeyFingerprint: fingerprint,
        clientSecret: new Secret(secret, 'client secret'),
        serverKey: serverKey === undefined ? undefined : new Secret(serverKey, 'server key'),
        revoked: revoked.has(fingerprint),
      });
    }
    const midtransKeys = this.#config.midtransPublicKeyFiles
      .map((ref, i) => loadRsaPublicKey(readSecretRef(ref, this.#env), `Midtrans public key #${String(i + 1)}`))
      .map((key) => ({ key, keyId: keyId(key), fingerprint: spkiFingerprint(key) }))
      .filter((k) => !revoked.has(k.fingerprint));
    if (midtransKeys.length === 0) throw new KeyError('PS_ERR_KEY_REVOKED', 'every configured Midtrans public key is revoked: notifications could never be verified');
    return { merchants, midtransKeys, revoked };
  }

  /** One SPKI SHA-256 fingerprint per line; `#` starts a comment. Re-read on every load. */
  #revocationList(): string[] {
    const file = this.#config.revocationListFile;
    if (file === undefined) return [];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new KeyError('PS_ERR_KEY_MISSING', `cannot read the revocation list ${file}`);
    }
    const lines = text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
    const bad = lines.find((l) => !/^[0-9a-f]{64}$/.test(l));
    if (bad !== undefined) throw new KeyError('PS_ERR_KEY_REVOCATION_LIST', `the revocation list ${file} holds a line that is not a 64-hex SPKI fingerprint`);
    return lines;
  }

  watch(onChange: () => void): () => void {
    const files = Object.values(this.#config.merchants)
      .flatMap((m) => [m.privateKeyFile, m.clientSecretFile, m.serverKeyFile])
      .concat(this.#config.midtransPublicKeyFiles, this.#config.revocationListFile ?? [], this.#config.events?.signingKeyFiles ?? [], this.#config.events?.encryptionKeyFiles ?? [])
      .filter((f): f is string => f !== undefined && !f.startsWith('env:'));
    const listener = (): void => onChange();
    for (const f of files) watchFile(f, { interval: this.#pollMs, persistent: false }, listener);
    return () => {
      for (const f of files) unwatchFile(f, listener);
    };
  }
}

export type ReloadListener = (result: { readonly ok: boolean; readonly error?: string }) => void;

export class KeyRing {
  #material: KeyMaterial;
  readonly #source: KeySource;
  readonly #defaultMerchant: string;
  readonly #listeners = new Set<ReloadListener>();
  #unwatch: (() => void) | undefined;
  #reloading: Promise<void> | undefined;

  private constructor(source: KeySource, material: KeyMaterial, defaultMerchant: string) {
    this.#source = source;
    this.#material = material;
    this.#defaultMerchant = defaultMerchant;
  }

  /** Loads and validates everything; a revoked merchant key is refused at start. */
  static async open(source: KeySource, defaultMerchant: string, { watch = true } = {}): Promise<KeyRing> {
    const material = await source.load();
    for (const m of material.merchants.values()) {
      if (m.revoked) throw new KeyError('PS_ERR_KEY_REVOKED', `the private key of merchant "${m.name}" (fingerprint ${m.privateKeyFingerprint}) is revoked: generate and register a new one`);
    }
    const ring = new KeyRing(source, material, defaultMerchant);
    if (watch && source.watch) ring.#unwatch = source.watch(() => void ring.reload());
    return ring;
  }

  merchant(name: string = this.#defaultMerchant): MerchantKeys {
    const m = this.#material.merchants.get(name);
    if (!m) throw new PaystreamError('PS_ERR_KEY_UNKNOWN_MERCHANT', `no credential set named "${name}" is configured`, 'invalid');
    return m;
  }

  merchantNames(): string[] {
    return [...this.#material.merchants.keys()];
  }

  get defaultMerchant(): string {
    return this.#defaultMerchant;
  }

  /** Currently trusted, non-revoked Midtrans public keys (several during a rotation). */
  midtransKeys(): readonly TrustedKey[] {
    return this.#material.midtransKeys.filter((k) => !this.#material.revoked.has(k.fingerprint));
  }

  isRevoked(fingerprint: string): boolean {
    return this.#material.revoked.has(fingerprint);
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
      const error = PaystreamError.is(err) ? `${err.code}: ${err.message}` : 'key material could not be loaded';
      for (const l of this.#listeners) l({ ok: false, error });
    }
  }

  close(): void {
    this.#unwatch?.();
  }
}

/** SIGHUP reloads the key ring; returns the function that removes the handler. */
export function reloadOnSighup(ring: KeyRing): () => void {
  const handler = (): void => void ring.reload();
  process.on('SIGHUP', handler);
  return () => process.off('SIGHUP', handler);
}
