// The key ring: every credential set's keys and secrets, the trusted Midtrans public keys and the
// revocation list. Material is swapped atomically on reload, so a call signs with either the old or
// the new material, never a mix; a failed reload keeps the last good material.
import type { KeyObject } from 'node:crypto';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';
import type { Secret } from '../secret.ts';
import { ReloadableMaterial, type MaterialSource, type ReloadListener } from './reloadable.ts';
import type { Signer } from './signer.ts';

export { FileKeySource } from './file-key-source.ts';
export { reloadOnSighup, type ReloadListener } from './reloadable.ts';

/** The revocable parts of a credential set. */
export type RevocablePart = 'private key' | 'client secret' | 'server key';

export interface MerchantKeys {
  readonly name: string;
  readonly clientId: string;
  readonly partnerId: string;
  readonly channelId: string;
  readonly merchantId: string | undefined;
  readonly deviceId: string;
  /** partnerServiceId per bank for BI-SNAP virtual accounts. */
  readonly virtualAccounts: Readonly<Partial<Record<string, string>>>;
  /** Signs the access-token request; the private key itself may live in an HSM or a KMS. */
  readonly signer: Signer;
  /** True when the key is an unencrypted private key file (warned about in production). */
  readonly plainKeyFile: boolean;
  readonly clientSecret: Secret;
  readonly serverKey: Secret | undefined;
  /** Set when its private key, client secret or server key is on the revocation list (after start: calls must stop). */
  readonly revoked: boolean;
  /** Which parts are revoked; empty when none is. */
  readonly revokedParts: readonly RevocablePart[];
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

/** Where key material comes from: files and environment, whose key files may name HSM or KMS keys. */
export interface KeySource extends MaterialSource<KeyMaterial> {
  /** Releases HSM sessions and KMS clients. */
  close?(): Promise<void>;
}

export class KeyRing {
  readonly #held: ReloadableMaterial<KeyMaterial>;
  readonly #defaultMerchant: string;
  readonly #source: KeySource;

  private constructor(held: ReloadableMaterial<KeyMaterial>, defaultMerchant: string, source: KeySource) {
    this.#held = held;
    this.#defaultMerchant = defaultMerchant;
    this.#source = source;
  }

  get #material(): KeyMaterial {
    return this.#held.current;
  }

  /** Loads and validates everything; a credential set with a revoked key, secret or server key is refused at start. */
  static async open(source: KeySource, defaultMerchant: string, { watch = true } = {}): Promise<KeyRing> {
    const material = await source.load();
    for (const m of material.merchants.values()) {
      if (m.revoked) {
        throw new KeyError(codes.PS_ERR_KEY_REVOKED, {
          what: `the ${m.revokedParts.join(' and the ')} of merchant "${m.name}" ${m.revokedParts.length > 1 ? 'are' : 'is'}`,
          consequence: 'generate or obtain new ones, register them with Midtrans and configure them',
        });
      }
    }
    return new KeyRing(new ReloadableMaterial(source, material, 'key material', watch), defaultMerchant, source);
  }

  merchant(name: string = this.#defaultMerchant): MerchantKeys {
    const m = this.#material.merchants.get(name);
    if (!m) throw new KeyError(codes.PS_ERR_KEY_UNKNOWN_MERCHANT, { name });
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
    return this.#held.onReload(listener);
  }

  /** Re-reads the source; coalesces concurrent triggers (SIGHUP and file change at once). */
  reload(): Promise<void> {
    return this.#held.reload();
  }

  async close(): Promise<void> {
    this.#held.close();
    await this.#source.close?.();
  }
}
