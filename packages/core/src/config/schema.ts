// Core's configuration: one zod schema with defaults (units in the names), parsed once at start
// and frozen. Errors name every bad field and never echo a value.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

/** Banks whose virtual accounts Midtrans issues through BI-SNAP (Midtrans reference §5.4). */
export const VA_BANKS = ['bca', 'bni', 'bri', 'permata', 'cimb', 'mandiri', 'danamon', 'bsi', 'seabank'] as const;
export type VaBank = (typeof VA_BANKS)[number];

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https: URL' });
/** A secret is never written in the configuration itself: a file path, or `env:NAME`. */
const secretRef = z.string().min(1, 'must name a file path or env:VARIABLE');

export const CredentialSetConfig = z.strictObject({
  clientId: z.string().min(1),
  partnerId: z.string().min(1),
  channelId: z.string().regex(/^\d{5}$/, 'must be a 5-digit numeric string'),
  merchantId: z.string().min(1).optional(),
  deviceId: z.string().min(1).default('paystream-worker'),
  /**
   * The merchant key: a PKCS#8 PEM file (plain or encrypted), or a key reference file naming a key
   * in an HSM (`pkcs11:` URI) or a KMS (`aws-kms:` key id) with its public key (`paystream keys generate`).
   */
  privateKeyFile: secretRef,
  /** The passphrase of an encrypted privateKeyFile: a file path or env:VARIABLE. */
  privateKeyPassphraseFile: secretRef.optional(),
  clientSecretFile: secretRef,
  serverKeyFile: secretRef.optional(),
  /**
   * BI-SNAP virtual accounts: the partnerServiceId (the bank's company / prefix code Midtrans
   * assigned to this merchant, up to 8 digits) per bank. Public facts, not secrets.
   */
  virtualAccounts: z.partialRecord(z.enum(VA_BANKS), z.string().regex(/^\d{1,8}$/, 'a partnerServiceId is 1–8 digits')).default({}),
});
export type CredentialSetConfig = z.infer<typeof CredentialSetConfig>;

export const CoreConfig = z.strictObject({
  snapBaseUrl: httpsUrl,
  coreBaseUrl: httpsUrl,
  defaultMerchant: z.string().min(1).default('default'),
  merchants: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'merchant names are kebab-case'), CredentialSetConfig),
  midtransPublicKeyFiles: z.array(secretRef).min(1, 'at least one Midtrans public key is needed to verify notifications'),
  /** SHA-256 fingerprints: of a key's SPKI, or of a client secret or server key (`paystream keys fingerprint`). */
  revokedKeyFingerprints: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 fingerprints are 64 lowercase hex characters')).default([]),
  /** A file of revoked fingerprints, re-read on every reload: revocation without restart. */
  revocationListFile: z.string().min(1).optional(),
  /** Accept private key and secret files that group or others may read or write (refused by default). */
  allowInsecureKeyFilePermissions: z.boolean().default(false),
  security: z
    .strictObject({
      /** Refuse private key files that are not encrypted (an HSM or KMS key is always accepted). */
      requireEncryptedKeys: z.boolean().default(false),
    })
    .prefault({}),
  /** Where keys named by a key reference file live: a PKCS#11 module (an HSM) and AWS KMS. */
  keyStores: z
    .strictObject({
      pkcs11: z
        .strictObject({
          /** The vendor's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so. */
          module: z.string().min(1),
          /** The user PIN: a file path or env:VARIABLE, never the PIN itself. */
          pinFile: secretRef,
        })
        .optional(),
      kms: z
        .strictObject({
          /** Defaults to the SDK's region chain (AWS_REGION, the shared config). */
          region: z.string().min(1).optional(),
          /** A VPC endpoint or an emulator; the SDK's default endpoint when absent. */
          endpoint: z.url().optional(),
          timeoutMs: z.number().int().positive().default(5_000),
        })
        .optional(),
    })
    .prefault({}),
  tls: z
    .strictObject({
      allowTls12ForSnap: z.boolean().default(false),
      caFiles: z.array(z.string().min(1)).default([]),
      spkiPins: z.array(z.string().min(1)).default([]),
      clientCertFile: z.string().min(1).optional(),
      clientKeyFile: z.string().min(1).optional(),
    })
    .prefault({}),
  http: z
    .strictObject({
      connectTimeoutMs: z.number().int().positive().default(5_000),
      totalTimeoutMs: z.number().int().positive().default(30_000),
      maxAttempts: z.number().int().min(1).max(10).default(3),
      backoffBaseMs: z.number().int().positive().default(200),
      backoffMaxMs: z.number().int().positive().default(5_000),
      connectionsPerOrigin: z.number().int().positive().default(64),
    })
    .prefault({}),
  breaker: z
    .strictObject({
      errorThresholdPercentage: z.number().min(1).max(100).default(50),
      volumeThreshold: z.number().int().min(1).default(10),
      resetTimeoutMs: z.number().int().positive().default(5_000),
      rollingCountTimeoutMs: z.number().int().positive().default(10_000),
    })
    .prefault({}),
  tokens: z.strictObject({ refreshAheadMs: z.number().int().min(0).default(60_000) }).prefault({}),
  /** Keys of our own result events, newest first: Ed25519 PKCS#8 PEM files, and files of 32 random bytes in base64. */
  events: z
    .strictObject({
      signingKeyFiles: z.array(secretRef).default([]),
      /** The passphrase of encrypted signing key files (one for all of them): a file path or env:VARIABLE. */
      signingKeyPassphraseFile: secretRef.optional(),
      encryptionKeyFiles: z.array(secretRef).default([]),
    })
    .prefault({}),
});
export type CoreConfig = z.infer<typeof CoreConfig>;
export type CoreConfigInput = z.input<typeof CoreConfig>;

/** Parses and freezes; a ConfigError lists every bad field by its path. */
export function parseCoreConfig(input: unknown): Readonly<CoreConfig> {
  const result = CoreConfig.safeParse(input);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`));
  }
  const config = result.data;
  if (!Object.hasOwn(config.merchants, config.defaultMerchant)) {
    throw new ConfigError([`defaultMerchant: no merchant named "${config.defaultMerchant}" in merchants`]);
  }
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
