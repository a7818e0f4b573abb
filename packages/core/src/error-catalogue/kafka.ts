// Kafka connections: transport security refused at start, the brokers refusing (or not answering) the
// worker, and the OAUTHBEARER token source.
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
  PS_ERR_KAFKA_CLIENT_UNFIXED: {
    class: 'fatal',
    exit: 78,
    message:
      "the installed kafkajs is not the project's fixed one (its send could lose a write when a partition leader fails over, its idle connections never sleep): install with npm ci",
    meaning:
      'kafkajs 2.2.4 can resolve a retried send without writing a partition whose leader moved meanwhile; its idle request queue wakes the event loop every millisecond; the project installs a fixed `sendMessages.js` and `requestQueue/index.js` after every `npm ci` / `npm install` (`scripts/patch-dependencies.mjs`, ADR 0012). An install made with `--ignore-scripts` lacks it, and no command connects to Kafka with it: install again, or run `node scripts/patch-dependencies.mjs`',
  },
  PS_ERR_KAFKA_REFUSED: {
    class: 'retriable',
    exit: 69,
    message: 'Kafka does not admit the worker ({setting}): {problem}',
    meaning:
      "the brokers refused the login (SASL password, OAUTHBEARER token), the TLS handshake failed (the brokers' certificate is not trusted, the client certificate was refused) or no broker answered: the worker stays unready (`/readyz` 503 with this reason) and retries with a backoff up to 30 s; fix the named setting's file and send SIGHUP to retry at once",
  },
  PS_ERR_KAFKA_NOT_AUTHORIZED: {
    class: 'fatal',
    exit: 77,
    message:
      'the brokers refused the request ({type}): the principal this command connects as holds no ACL for it (see paystream acls plan)',
    meaning:
      "the cluster's authorizer refused a `paystream` command's request (e.g. `TOPIC_AUTHORIZATION_FAILED` when an upstream principal publishes to a method it is not allowed, or the operator replays without WRITE): grant the role with `paystream acls apply`, or run the command as the principal that holds it",
  },
  PS_ERR_KAFKA_OAUTH_TOKEN: {
    class: 'retriable',
    exit: 69,
    message: 'no OAUTHBEARER token for Kafka from {endpoint}: {reason}',
    meaning:
      "the OIDC token endpoint of `kafka.sasl.oauth` did not issue a token (unreachable, refused the client's credentials, or answered something that is not a token); the OAuth error code is given, never the secret or the token",
  },
} as const satisfies Record<string, ErrorEntry>;
