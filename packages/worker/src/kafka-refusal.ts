// Why Kafka does not admit the worker, in the operator's words: which setting to look at and what kind of
// failure it is, read from the error and its causes. kafkajs wraps a TLS failure as a connection error
// carrying Node's code, and reports an OAUTHBEARER token the broker refused as "no brokers in the broker
// pool" (it reads the broker's error challenge as a success, then the broker closes the connection).
// Only codes and fixed words go into a reason, never an error's free text, so no secret can.
import { codes, createError, PaystreamError } from '@paystream/core';
import type { KafkaSecurity } from './config/kafka-security.ts';

export interface KafkaRefusal {
  /** The setting to fix, e.g. `kafka.sasl.passwordFile`. */
  readonly setting: string;
  /** The kind of failure, without any secret. */
  readonly problem: string;
}

/** Node's codes for a server certificate that does not verify against the trusted CAs. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'INVALID_CA',
]);
/** TLS alerts by which a broker refuses the client's certificate (OpenSSL codes as Node reports them). */
const CLIENT_CERT_ALERT =
  /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNKNOWN_CA|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED)$/;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
}

/** The error and each of its causes (kafkajs keeps them in `cause` and `originalError`). */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  for (let e = err; e !== null && typeof e === 'object' && out.length < 8;) {
    const x = e as ErrorLike;
    out.push(x);
    e = x.cause ?? x.originalError;
  }
  return out;
}

const codeOf = (e: ErrorLike): string => (typeof e.code === 'string' && /^[A-Z0-9_/]{1,80}$/.test(e.code) ? e.code : '');

/** The refusal, or undefined when the error is not about reaching or entering the cluster (then it is not retried). */
export function kafkaRefusal(err: unknown, security: KafkaSecurity): KafkaRefusal | undefined {
  const errors = chain(err);
  const names = errors.map((e) => (typeof e.name === 'string' ? e.name : ''));
  const sasl = security.sasl;
  const mechanism = sasl?.mechanism.toUpperCase() ?? '';
  for (const e of errors)
    if (PaystreamError.is(e) && e.code === codes.PS_ERR_KAFKA_OAUTH_TOKEN)
      return {
        setting: security.oauthBearerProvider ? 'kafkaSecurity.oauthBearerProvider' : 'kafka.sasl.oauth',
        problem: `no token: ${e.message}`,
      };
  if (names.includes('KafkaJSSASLAuthenticationError')) {
    if (sasl?.mechanism === 'oauthbearer')
      return {
        setting: security.oauthBearerProvider ? 'kafkaSecurity.oauthBearerProvider' : 'kafka.sasl.oauth',
        problem: 'the brokers refused the token',
      };
    return {
      setting: 'kafka.sasl.passwordFile',
      problem: `the brokers refused the ${mechanism} login of user ${sasl?.username ?? '?'} (wrong password, or no such user)`,
    };
  }
  for (const code of errors.map(codeOf)) {
    if (UNTRUSTED.has(code)) return { setting: 'kafka.tls.caFiles', problem: `the brokers' certificate is not trusted (${code})` };
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
      return { setting: 'kafka.tls.serverName', problem: `the brokers' certificate does not name the broker (${code})` };
    if (CLIENT_CERT_ALERT.test(code)) {
      const given = security.tls?.clientCertFile !== undefined;
      return {
        setting: 'kafka.tls.clientCertFile',
        problem: `the brokers refused the client certificate${given ? '' : ' (none is configured)'} (${code})`,
      };
    }
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
      return { setting: 'kafka.tls', problem: `the TLS handshake failed (${code})` };
  }
  // A refused token closes the connection right after authentication; with nothing else wrong, that is what this is.
  if (names.includes('KafkaJSBrokerNotFound') && sasl?.mechanism === 'oauthbearer')
    return {
      setting: security.oauthBearerProvider ? 'kafkaSecurity.oauthBearerProvider' : 'kafka.sasl.oauth',
      problem:
        'the brokers closed the connection after the token was sent (refused: expired, wrong issuer or audience, or a key they do not trust)',
    };
  const down = errors.map(codeOf).find((c) => UNREACHABLE.has(c));
  if (down) return { setting: 'kafka.brokers', problem: `no broker answers (${down})` };
  if (names.includes('KafkaJSConnectionError') || names.includes('KafkaJSBrokerNotFound') || names.includes('KafkaJSConnectionClosedError'))
    return { setting: 'kafka.brokers', problem: 'no broker answers' };
  return undefined;
}

/** The refusal as a catalogue error (codes.PS_ERR_KAFKA_REFUSED), for logs and /readyz. */
export const refusalError = (r: KafkaRefusal): PaystreamError => createError(codes.PS_ERR_KAFKA_REFUSED, { ...r });
