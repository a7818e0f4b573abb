// Configuration and key material: every one stops start-up (or the CLI command) until it is fixed.
import type { ErrorEntry } from './entry.ts';

export const configAndKeyErrors = {
  PS_ERR_CONFIG_INVALID: {
    class: 'fatal',
    exit: 78,
    message: 'Invalid configuration:\n{issues}',
    meaning: 'the configuration failed validation; every bad field is listed by its path',
  },
  PS_ERR_KEY_MISSING: {
    class: 'fatal',
    exit: 78,
    message: '{field}: {problem}',
    meaning:
      'a key, secret or certificate file is absent, unreadable or not a regular file, or an `env:` variable is unset; the configuration field is named, never its value',
  },
  PS_ERR_KEY_PKCS1: {
    class: 'fatal',
    exit: 78,
    message:
      '{what} is PKCS#1 (an RSA-specific PEM block); BI-SNAP requires PKCS#8 PEM: convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem',
    meaning: 'a merchant key is PKCS#1; BI-SNAP requires PKCS#8 (`openssl pkcs8 -topk8 -nocrypt …`)',
  },
  PS_ERR_KEY_ENCRYPTED: {
    class: 'fatal',
    exit: 78,
    message: '{what} is encrypted and no passphrase is configured: set {field} to a file or env:VARIABLE holding it',
    meaning: 'a private key file is encrypted PKCS#8 but its passphrase setting is missing',
  },
  PS_ERR_KEY_PASSPHRASE: {
    class: 'fatal',
    exit: 78,
    message: '{what} could not be decrypted with the passphrase of {field}: the passphrase is wrong or the file is damaged',
    meaning: 'an encrypted PKCS#8 key file did not decrypt with the configured passphrase; the passphrase is never shown',
  },
  PS_ERR_KEY_NOT_ENCRYPTED: {
    class: 'fatal',
    exit: 78,
    message:
      '{what} is a plain private key file and security.requireEncryptedKeys refuses those: encrypt it with: paystream keys encrypt --in FILE --out FILE.enc --passphrase-file P, or move the key to an HSM or KMS',
    meaning: 'with `security.requireEncryptedKeys`, an unencrypted private key file is refused',
  },
  PS_ERR_SIGNER_UNAVAILABLE: {
    class: 'retriable',
    exit: 69,
    message: '{what} cannot sign now ({location}): {reason}',
    meaning:
      'the HSM token or KMS key holding a merchant key cannot sign: token missing, PIN refused, session lost, KMS unreachable or refusing; the worker stays unready with the reason (never the PIN) and recovers by itself once a signature succeeds',
  },
  PS_ERR_SIGNER_KEY_MISMATCH: {
    class: 'fatal',
    exit: 78,
    message: '{what}: the key at {location} has fingerprint {actual}, but the configured public key has {expected}',
    meaning:
      'the HSM or KMS key a credential set names is not the key whose public half is configured (and registered at Midtrans): a wrong key label, id or alias',
  },
  PS_ERR_KEY_UNREADABLE: {
    class: 'fatal',
    exit: 78,
    message: '{what} {problem}',
    meaning: 'not a parseable PEM block of the expected kind',
  },
  PS_ERR_KEY_NOT_RSA: {
    class: 'fatal',
    exit: 78,
    message: '{what} is a {type} key; BI-SNAP needs RSA (SHA256withRSA): {fix}',
    meaning: 'BI-SNAP keys must be RSA (SHA256withRSA)',
  },
  PS_ERR_KEY_TOO_SHORT: {
    class: 'fatal',
    exit: 78,
    message: '{what} {problem}',
    meaning: 'an RSA key under 2048 bits, or an AES key that is not 32 bytes',
  },
  PS_ERR_KEY_NOT_ED25519: {
    class: 'fatal',
    exit: 78,
    message: 'event-signing key #{index} must be Ed25519',
    meaning: 'the event-signing key must be Ed25519',
  },
  PS_ERR_KEY_REVOKED: {
    class: 'fatal',
    exit: 78,
    message: '{what} revoked (on the revocation list): {consequence}',
    meaning:
      "a credential set's private key, client secret or server key is on the revocation list (refused at load), or every Midtrans key is",
  },
  PS_ERR_KEY_REVOCATION_LIST: {
    class: 'fatal',
    exit: 78,
    message: "{field}: line {line} is not a 64-hex SHA-256 fingerprint (of a key's SPKI, or of a client secret or server key)",
    meaning:
      'the revocation list holds a line (named by its number) that is not a 64-hex SHA-256 fingerprint, optionally `sha256:`-prefixed',
  },
  PS_ERR_KEY_UNKNOWN_KID: {
    class: 'fatal',
    exit: 78,
    message: 'no event-encryption key with id {kid}',
    meaning: 'no event-encryption key with the key id found in an encrypted field',
  },
  PS_ERR_KEY_UNKNOWN_MERCHANT: {
    class: 'invalid',
    exit: 65,
    message: 'no credential set named "{name}" is configured',
    meaning: 'a command names a merchant account (credential set) that is not configured',
  },
  PS_ERR_KEY_PERMISSIONS: {
    class: 'fatal',
    exit: 78,
    message:
      '{field}: the file is readable or writable by group or others (mode {mode}); private keys and secrets must be owner-only: chmod 600 {path} (or set allowInsecureKeyFilePermissions)',
    meaning:
      'a private key or secret file is readable or writable by group or others (`chmod 600 <file>`; `allowInsecureKeyFilePermissions` overrides)',
  },
  PS_ERR_KEY_EXISTS: {
    class: 'fatal',
    exit: 73,
    message: '{path} exists; refusing to overwrite a key',
    meaning: '`paystream keys generate` refuses to overwrite an existing key',
  },
} as const satisfies Record<string, ErrorEntry>;
