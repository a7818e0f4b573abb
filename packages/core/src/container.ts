// Core's services and the one function that builds them from a validated configuration; the worker
// binds each of them in its container (packages/worker/src/composition.ts) for the parts that use it.
import type { CoreConfig } from './config/schema.ts';
import { codes } from './error-catalogue/index.ts';
import { KeyError, PaystreamError } from './errors.ts';
import { EventSigner, FieldCipher } from './events/event-crypto.ts';
import { FileKeySource, KeyRing, type KeySource } from './keys/key-ring.ts';
import { decryptPrivateKey, isEncryptedPem } from './keys/pem.ts';
import { readConfiguredFile, readPassphrase, readSecretRef } from './keys/secret-files.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { MidtransClient } from './midtrans/client.ts';
import { NotificationVerifier } from './signing/notification-verifier.ts';
import { certificateExpiries, type CertificateExpiry } from './tls/certificate-expiry.ts';

export interface CoreServices {
  readonly config: Readonly<CoreConfig>;
  readonly keyRing: KeyRing;
  readonly client: MidtransClient;
  readonly verifier: NotificationVerifier;
  readonly eventSigner: EventSigner;
  readonly fieldCipher: FieldCipher;
  readonly logger: Logger;
  /** When each configured outbound TLS certificate (extra CAs, client certificate) expires. */
  readonly certificates: readonly CertificateExpiry[];
  close(): Promise<void>;
}

/** Reads every file of a private-key list; each failure names its field (`events.signingKeyFiles.0`), never its value. */
function readAll(config: Readonly<CoreConfig>, field: 'signingKeyFiles' | 'encryptionKeyFiles', what: string): string[] {
  const refs = config.events[field];
  if (refs.length === 0) throw new KeyError(codes.PS_ERR_KEY_MISSING, { field: `events.${field}`, problem: `no ${what} is configured` });
  const options = { private: true, allowInsecurePermissions: config.allowInsecureKeyFilePermissions };
  return refs.map((ref, i) => readSecretRef(ref, `events.${field}.${String(i)}`, options));
}

/** The CA certificates and the optional client certificate of outbound TLS; the client key is private. */
function readTlsFiles(config: Readonly<CoreConfig>): { caPem: string[]; clientCert?: { certPem: string; keyPem: string } } {
  const { caFiles, clientCertFile, clientKeyFile } = config.tls;
  const caPem = caFiles.map((f, i) => readConfiguredFile(f, `tls.caFiles.${String(i)}`));
  if (!clientCertFile || !clientKeyFile) return { caPem };
  const keyPem = readConfiguredFile(clientKeyFile, 'tls.clientKeyFile', {
    private: true,
    allowInsecurePermissions: config.allowInsecureKeyFilePermissions,
  });
  return { caPem, clientCert: { certPem: readConfiguredFile(clientCertFile, 'tls.clientCertFile'), keyPem } };
}

/** An event-signing key file as plain PKCS#8 PEM in memory: decrypted when encrypted, refused plain under requireEncryptedKeys. */
function eventSigningPem(config: Readonly<CoreConfig>, pem: string, index: number): string {
  const field = `events.signingKeyFiles.${String(index)}`;
  const what = `The event-signing key of ${field}`;
  if (!isEncryptedPem(pem)) {
    if (config.security.requireEncryptedKeys) throw new KeyError(codes.PS_ERR_KEY_NOT_ENCRYPTED, { what });
    return pem;
  }
  const passphraseRef = config.events.signingKeyPassphraseFile;
  const passphraseField = 'events.signingKeyPassphraseFile';
  const options = { private: true, allowInsecurePermissions: config.allowInsecureKeyFilePermissions };
  const key = decryptPrivateKey(pem, what, {
    field: passphraseField,
    read: passphraseRef === undefined ? undefined : () => readPassphrase(passphraseRef, passphraseField, options),
  });
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Our own event keys, read and validated together: signing (Ed25519 PEM) and encryption (32 bytes, base64), newest first. */
function readEventKeys(config: Readonly<CoreConfig>): { signing: string[]; encryption: Uint8Array[]; plainSigningKeys: boolean } {
  const files = readAll(config, 'signingKeyFiles', 'event-signing key');
  const signing = files.map((pem, i) => eventSigningPem(config, pem, i));
  const encryption = readAll(config, 'encryptionKeyFiles', 'event-encryption key').map((k) => Buffer.from(k.trim(), 'base64'));
  // Built to be thrown away: a bad key fails here, before anything in use is touched.
  new EventSigner(signing);
  new FieldCipher(encryption);
  return { signing, encryption, plainSigningKeys: files.some((pem) => !isEncryptedPem(pem)) };
}

/** In production a private key kept as a plain file is named in a warning: the seeds ask for an HSM, a KMS or encryption at rest. */
function warnOfPlainKeyFiles(plainSigningKeys: boolean, keyRing: KeyRing, logger: Logger): void {
  if (process.env['NODE_ENV'] !== 'production') return;
  const plain = keyRing.merchantNames().filter((m) => keyRing.merchant(m).plainKeyFile);
  if (plain.length > 0)
    logger.warn(
      { merchants: plain },
      'merchant private keys are unencrypted files: encrypt them (paystream keys encrypt) or move them to an HSM or KMS, and set security.requireEncryptedKeys',
    );
  if (plainSigningKeys)
    logger.warn('event-signing keys are unencrypted files: encrypt them (paystream keys encrypt) and set events.signingKeyPassphraseFile');
}

/** Opens the key ring, reads the CAs and event keys, and builds the client. */
export async function createCore(
  config: Readonly<CoreConfig>,
  options: { source?: KeySource; logger?: Logger; watchKeys?: boolean } = {},
): Promise<CoreServices> {
  const logger = options.logger ?? createLogger({ name: 'paystream' });
  if (config.allowInsecureKeyFilePermissions)
    logger.warn('allowInsecureKeyFilePermissions is set: private key and secret files readable by group or others are accepted');
  // Every file is read and checked before anything starts, so a bad one fails start-up with nothing to undo.
  const tls = readTlsFiles(config);
  const eventKeys = readEventKeys(config);
  const keyRing = await KeyRing.open(options.source ?? new FileKeySource(config), config.defaultMerchant, {
    watch: options.watchKeys ?? true,
  });
  warnOfPlainKeyFiles(eventKeys.plainSigningKeys, keyRing, logger);
  const client = new MidtransClient({ config, keyRing, logger: logger.child({ component: 'midtrans' }), tls });
  const eventSigner = new EventSigner(eventKeys.signing);
  const fieldCipher = new FieldCipher(eventKeys.encryption);
  // Our event keys rotate as the rest does — SIGHUP or a replaced file — swapped in one step with the
  // key ring's reload; a bad one keeps the keys in use. Downstream must have the new public key first.
  keyRing.onReload(({ ok, error }) => {
    if (!ok) {
      logger.error({ error }, 'key reload failed; the previous key material stays in use');
      return;
    }
    try {
      const next = readEventKeys(config);
      eventSigner.rotate(next.signing);
      fieldCipher.rotate(next.encryption);
    } catch (err) {
      logger.error(
        { error: PaystreamError.is(err) ? `${err.code}: ${err.message}` : 'event keys could not be loaded' },
        'event key reload failed; the previous event keys stay in use',
      );
    }
    logger.info({ eventSigningKeys: eventSigner.publicKeys().map((k) => k.keyId) }, 'key material reloaded');
  });
  return {
    config,
    keyRing,
    client,
    verifier: new NotificationVerifier(keyRing),
    eventSigner,
    fieldCipher,
    logger,
    certificates: [
      ...tls.caPem.flatMap((pem) => certificateExpiries(pem, 'tls-ca')),
      ...(tls.clientCert ? certificateExpiries(tls.clientCert.certPem, 'tls-client') : []),
    ],
    close: async () => {
      await keyRing.close();
      await client.close();
    },
  };
}
