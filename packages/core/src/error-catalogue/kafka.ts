// Kafka connections: transport security refused at start, and the OAUTHBEARER token source.
import type { ErrorEntry } from './entry.ts';

export const kafkaErrors = {
  PS_ERR_KAFKA_PLAINTEXT: {
    class: 'fatal',
    exit: 78,
    message:
      'the Kafka broker {broker} is not a loopback address and kafka.tls is not configured: configure kafka.tls (and kafka.sasl), or set kafka.allowPlaintext on a network where plaintext is acceptable',
    meaning:
      'a Kafka client would connect in plaintext to a broker that is not on this host: configure `kafka.tls`, or set `kafka.allowPlaintext` (logged as a warning at every start)',
  },
  PS_ERR_KAFKA_OAUTH_TOKEN: {
    class: 'retriable',
    exit: 69,
    message: 'no OAUTHBEARER token for Kafka from {endpoint}: {reason}',
    meaning:
      "the OIDC token endpoint of `kafka.sasl.oauth` did not issue a token (unreachable, refused the client's credentials, or answered something that is not a token); the OAuth error code is given, never the secret or the token",
  },
} as const satisfies Record<string, ErrorEntry>;
