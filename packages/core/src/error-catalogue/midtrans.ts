// The machinery between us and Midtrans. `ambiguous` means the request may have been processed.
import type { ErrorEntry } from './entry.ts';

export const midtransErrors = {
  PS_ERR_MIDTRANS_OUTCOME_UNKNOWN: {
    class: 'ambiguous',
    exit: 75,
    message:
      '{path} failed after {attempts} attempts (last: {last}); the request may have been processed: resolve by status inquiry with the same identifiers',
    meaning: 'timeouts, resets, 5xx, `202xx00` or `504xx00` after retries: the request may have been processed',
  },
  PS_ERR_MIDTRANS_UNAVAILABLE: {
    class: 'retriable',
    exit: 69,
    message: '{path} failed after {attempts} attempts (last: {last})',
    meaning: 'Midtrans could not be reached and nothing was processed (connection refused, TLS failure, 429)',
  },
  PS_ERR_MIDTRANS_CIRCUIT_OPEN: {
    class: 'retriable',
    exit: 75,
    message: 'the circuit breaker is open: Midtrans is failing, nothing more was sent',
    meaning: 'the breaker of the credential set and API family is open; nothing was sent',
  },
  PS_ERR_MIDTRANS_UNAUTHORIZED: {
    class: 'fatal',
    exit: 78,
    message: 'Midtrans refused {what} ({answer}); check {check}',
    meaning: '`401xx00`, or `401xx01` still after one token refresh: check the client secret, key and clock',
  },
  PS_ERR_MIDTRANS_TOKEN_REFUSED: {
    class: 'fatal',
    exit: 78,
    message: 'the access-token endpoint refused merchant "{merchant}" ({answer}); check the client id and the registered public key',
    meaning: 'the B2B access-token endpoint refused the credential set',
  },
  PS_ERR_MIDTRANS_CREDENTIALS_REVOKED: {
    class: 'fatal',
    exit: 78,
    message: 'the credentials of merchant "{merchant}" are revoked; nothing was sent',
    meaning: 'the merchant key is revoked: calls stop until new credentials are loaded',
  },
  PS_ERR_MIDTRANS_KEY_UNAVAILABLE: {
    class: 'retriable',
    exit: 69,
    message: 'the private key of merchant "{merchant}" cannot sign an access-token request now; nothing was sent: {reason}',
    meaning:
      'the HSM or KMS key of a credential set cannot sign; consumption of its BI-SNAP methods pauses and commands wait until it signs again',
  },
  PS_ERR_MIDTRANS_NO_SERVER_KEY: {
    class: 'fatal',
    exit: 78,
    message: 'merchant "{merchant}" has no server key configured for the Core API; nothing was sent',
    meaning: 'a Core API call for a credential set without a server key',
  },
} as const satisfies Record<string, ErrorEntry>;
