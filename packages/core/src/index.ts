// @paystream/core: the only package that touches keys, secrets, signatures and sockets.
export { ConfigError, createError, KeyError, PaystreamError, type ErrorClass, type ExitStatus } from './errors.ts';
export {
  codes,
  errorCatalogue,
  errorEntry,
  errorMessage,
  isErrorCode,
  REFUSAL_CODES,
  CLIENT_ERROR_CODES,
  type ClientErrorCode,
  type ErrorCode,
  type ErrorEntry,
  type ErrorParams,
  type MidtransErrorCode,
  type PluginErrorCode,
  type RefusalCode,
} from './error-catalogue/index.ts';
export { Secret } from './secret.ts';
export { parseSnapTimestamp, snapTimestamp } from './timestamp.ts';
export * from './signing/snap-signatures.ts';
export {
  decryptPrivateKey,
  isEncryptedPem,
  keyId,
  loadMerchantPrivateKey,
  loadRsaPublicKey,
  MIN_RSA_BITS,
  spkiFingerprint,
  type Passphrase,
} from './keys/pem.ts';
export { MERCHANT_SIGNATURE_ALGORITHM, probeSigner, type Signer, type SignerKind, type SignerStatus } from './keys/signer.ts';
export { FileSigner } from './keys/signers/file-signer.ts';
export { generateAwsKmsKey, generateHsmKey, type CreatedKey, type HsmKeySpec, type KmsKeySpec } from './keys/signers/key-stores.ts';
export { finalizePkcs11Modules } from './keys/signers/pkcs11-loading.ts';
export {
  formatKeyReference,
  isKeyReference,
  kmsUri,
  parseKeyReference,
  pkcs11Uri,
  type KeyReference,
  type KmsKeyReference,
  type Pkcs11KeyReference,
} from './keys/key-reference.ts';
export * from './midtrans/facade.ts';
export {
  inboundTlsOptions,
  outboundTlsOptions,
  requireHttpsUrl,
  spkiPin,
  TLS12_GCM_SUITES,
  TLS13_SUITES,
  type ApiFamily,
  type OutboundTlsConfig,
} from './tls/policy.ts';
export { CERTIFICATE_ROLES, certificateExpiries, type CertificateExpiry, type CertificateRole } from './tls/certificate-expiry.ts';
export { classifyCore, classifySnap, parseResponseCode, type AnswerClass } from './midtrans/response-code.ts';
export { CoreConfig, CredentialSetConfig, parseCoreConfig, VA_BANKS, type CoreConfigInput, type VaBank } from './config/schema.ts';
export {
  FileKeySource,
  KeyRing,
  reloadOnSighup,
  type KeyMaterial,
  type KeySource,
  type MerchantKeys,
  type ReloadListener,
  type RevocablePart,
  type TrustedKey,
} from './keys/key-ring.ts';
export { parseRevocationList, secretFingerprint } from './keys/revocation.ts';
export { readConfiguredFile, readPassphrase, readSecretRef, type ReadFileOptions, type ReadRefOptions } from './keys/secret-files.ts';
export { AccessTokens, TOKEN_SCRUB_GRACE_MS, type IssuedToken, type TokenFetcher } from './midtrans/access-tokens.ts';
export { type BreakerState, type BreakerStateChange } from './midtrans/breakers.ts';
export { MidtransClient, TOKEN_PATH, type CallRecord, type MidtransClientOptions } from './midtrans/client.ts';
export { answerAsClient } from './midtrans/answer-as-client.ts';
export {
  HISTORY_DETAIL_PATH,
  HISTORY_LIST_PATH,
  HISTORY_MAX_PAGE_SIZE,
  TransactionHistory,
  type HistoryPeriod,
  type HistoryTransaction,
  type TransactionHistoryOptions,
} from './midtrans/transaction-history.ts';
export { NotificationVerifier, type SnapNotification, type Verdict } from './signing/notification-verifier.ts';
export { EventSigner, FieldCipher, aesKeyId, type EncryptedField, type EventSignature } from './events/event-crypto.ts';
export { createLogger, redactPaths, type Logger } from './log/logger.ts';
export * from './tracing/index.ts';
export { maskCardNumbers, secretScrubber, SecretScrubber } from './log/redact.ts';
export {
  containsCardNumber,
  exponentsHoldCard,
  luhnValid,
  maskCards,
  maskedPayload,
  maskEveryDigit,
  numbersHoldCard,
} from './cards/index.ts';
export * from './container.ts';
export * from './command-auth/index.ts';
