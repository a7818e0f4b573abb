// How every Kafka client of the project connects (the worker, the CLI, the harnesses): TLS by core's
// outbound policy (certificates verified, TLS 1.2+, GCM suites), SASL (SCRAM, PLAIN inside TLS,
// OAUTHBEARER), and plaintext refused towards a broker that is not on this host. Files are read by
// core's helpers, so a refusal names the setting, never the value; the SASL password is read again at
// each authentication, and the TLS files at each reload (SIGHUP), so replaced files are used at the next
// reconnect (kafka-credentials-reload.ts).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import {
  codes,
  ConfigError,
  createError,
  KeyError,
  outboundTlsOptions,
  readConfiguredFile,
  readSecretRef,
  secretScrubber,
} from '@paystream/core';
import { isLoopbackHost, kafkaClientFixed } from '@paystream/runtime';
import {
  parseKafkaSecurity,
  type KafkaSaslConfig,
  type KafkaSecurityInput,
  type KafkaTlsConfig,
  type OauthBearerProvider,
} from './config/kafka-security.ts';
import { oidcTokenProvider } from './kafka-connection-oidc.ts';
import { liveOptions, type CredentialsReload } from './kafka-credentials-reload.ts';

export type { OauthBearerProvider } from './config/kafka-security.ts';

export interface KafkaConnectionOptions {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** `kafka.tls`, `kafka.sasl`, `kafka.allowPlaintext` (a configuration's `kafka` object will do); plaintext when absent. */
  readonly security?: KafkaSecurityInput | undefined;
  /** Accept private key and secret files readable by group or others. */
  readonly allowInsecureKeyFilePermissions?: boolean | undefined;
  /** Where `env:` references are read; process.env when absent. */
  readonly env?: NodeJS.ProcessEnv;
  /** Told when plaintext towards a broker off this host is allowed, and when a password file cannot be re-read. */
  readonly warn?: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

/** The connection's part of a kafkajs configuration: spread it into `new Kafka({ ...connection, logLevel })`. */
export interface KafkaConnection {
  readonly clientId: string;
  readonly brokers: string[];
  readonly ssl?: ConnectionOptions;
  readonly sasl?: SASLOptions;
}

interface ReadContext {
  readonly allowInsecurePermissions: boolean;
  readonly env: NodeJS.ProcessEnv | undefined;
  readonly warn: NonNullable<KafkaConnectionOptions['warn']>;
}

const hostOf = (broker: string): string => broker.slice(0, broker.lastIndexOf(':'));

/** Refuses (a fatal error) a plaintext connection to a broker that is not on this host, unless allowed, then warns. */
export function refusePlaintextKafka(
  brokers: readonly string[],
  security: KafkaSecurityInput | undefined,
  warn?: ReadContext['warn'],
): void {
  if (security?.tls !== undefined && security.tls.enabled !== false) return;
  const remote = brokers.filter((b) => !isLoopbackHost(hostOf(b)));
  const first = remote[0];
  if (first === undefined) return;
  if (security?.allowPlaintext !== true) throw createError(codes.PS_ERR_KAFKA_PLAINTEXT, { broker: first });
  warn?.('Kafka connections are in plaintext to brokers that are not on this host (kafka.allowPlaintext)', { brokers: remote });
}

function certificates(path: string, field: string): string {
  const pem = readConfiguredFile(path, field);
  try {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no certificate');
    new X509Certificate(pem);
  } catch {
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what: field, problem: 'is not a PEM certificate' });
  }
  return pem;
}

function privateKey(path: string, ctx: ReadContext): string {
  const field = 'kafka.tls.clientKeyFile';
  const pem = readConfiguredFile(path, field, { private: true, allowInsecurePermissions: ctx.allowInsecurePermissions });
  try {
    createPrivateKey(pem);
  } catch {
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, { what: field, problem: 'is not an unencrypted PEM private key' });
  }
  return pem;
}

/** kafkajs' `ssl`: core's outbound policy with the configured CAs (besides the system roots) and client certificate. */
function kafkaTlsOptions(tls: KafkaTlsConfig, caPem: readonly string[], ctx: ReadContext): ConnectionOptions {
  const clientCert =
    tls.clientCertFile !== undefined && tls.clientKeyFile !== undefined
      ? { certPem: certificates(tls.clientCertFile, 'kafka.tls.clientCertFile'), keyPem: privateKey(tls.clientKeyFile, ctx) }
      : undefined;
  let options: ConnectionOptions;
  try {
    options = outboundTlsOptions({ caPem, ...(clientCert ? { clientCert } : {}) }, 'core');
  } catch {
    throw new KeyError(codes.PS_ERR_KEY_UNREADABLE, {
      what: 'kafka.tls.clientCertFile and kafka.tls.clientKeyFile',
      problem: 'are not a certificate and its private key',
    });
  }
  return { ...options, ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}) };
}

/**
 * kafkajs reads `password` when a connection authenticates: the getter reads the file (or variable)
 * then, so a rotated password is used at the next reconnect. Read once now, so a missing one stops the
 * start; later, an unreadable file (mid-replacement) keeps the last password read, with a warning.
 */
function passwordSasl(sasl: KafkaSaslConfig & { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512' }, ctx: ReadContext): SASLOptions {
  const field = 'kafka.sasl.passwordFile';
  const read = (): string => {
    const password = readSecretRef(sasl.passwordFile ?? '', field, {
      private: true,
      allowInsecurePermissions: ctx.allowInsecurePermissions,
      ...(ctx.env ? { env: ctx.env } : {}),
    });
    secretScrubber.register(password);
    return password;
  };
  let last = read();
  return {
    mechanism: sasl.mechanism,
    username: sasl.username ?? '',
    get password(): string {
      try {
        last = read();
      } catch (err) {
        ctx.warn('the Kafka SASL password cannot be read again; the last one read is used', { field, reason: (err as Error).message });
      }
      return last;
    },
  };
}

function saslOptions(
  sasl: KafkaSaslConfig,
  ctx: ReadContext,
  provider: OauthBearerProvider | undefined,
  endpointTls: ConnectionOptions,
): SASLOptions {
  if (sasl.mechanism !== 'oauthbearer') return passwordSasl({ ...sasl, mechanism: sasl.mechanism }, ctx);
  if (provider) return { mechanism: 'oauthbearer', oauthBearerProvider: namedFailures(provider) };
  // The schema requires `oauth` without a provider; a caller that skipped it gets the same words.
  if (!sasl.oauth) throw new ConfigError(['kafka.sasl.oauth: required by oauthbearer']);
  const oidc = oidcTokenProvider({
    ...sasl.oauth,
    // The token endpoint is not a broker: core's policy and the configured CAs, without the client certificate or server name.
    tls: endpointTls,
    allowInsecureKeyFilePermissions: ctx.allowInsecurePermissions,
    ...(ctx.env ? { env: ctx.env } : {}),
  });
  return { mechanism: 'oauthbearer', oauthBearerProvider: oidc };
}

/** A program's own token provider failing is a token that cannot be had: said so, by the error's name only (its text may hold anything). */
function namedFailures(provider: OauthBearerProvider): OauthBearerProvider {
  return () =>
    provider().catch((err: unknown) => {
      const name = err instanceof Error && /^\w{1,64}$/.test(err.name) ? err.name : 'an error';
      throw createError(codes.PS_ERR_KAFKA_OAUTH_TOKEN, { endpoint: 'kafkaSecurity.oauthBearerProvider', reason: `it threw ${name}` });
    });
}

/** The connection's kafkajs settings, and how to take up replaced TLS files and drop the cached token. */
export interface ReloadableKafkaConnection extends CredentialsReload {
  readonly connection: KafkaConnection;
  /** Drops the built-in OAUTHBEARER provider's cached token (one the brokers refused): the next authentication asks again. */
  forgetToken(): void;
}

/**
 * The connection's kafkajs settings. Validates the security fields, refuses plaintext towards a remote
 * broker (codes.PS_ERR_KAFKA_PLAINTEXT) unless `allowPlaintext`, and reads every file it names now.
 */
export function kafkaConnection(o: KafkaConnectionOptions): KafkaConnection {
  return reloadableKafkaConnection(o).connection;
}

/** As kafkaConnection; `reload()` reads the TLS files again (all or nothing) and forgets the built-in provider's token. */
export function reloadableKafkaConnection(o: KafkaConnectionOptions): ReloadableKafkaConnection {
  const security = parseKafkaSecurity(o.security ?? {});
  const ctx: ReadContext = {
    allowInsecurePermissions: o.allowInsecureKeyFilePermissions ?? false,
    env: o.env,
    warn: o.warn ?? (() => undefined),
  };
  // A client that could lose a write in a leader failover is not one to connect with at all.
  if (!kafkaClientFixed()) throw createError(codes.PS_ERR_KAFKA_CLIENT_UNFIXED, {});
  refusePlaintextKafka(o.brokers, security, ctx.warn);
  const tls = security.tls?.enabled === true ? security.tls : undefined;
  const read = (): { ssl: ConnectionOptions | undefined; endpoint: ConnectionOptions } => {
    const caPem = (tls?.caFiles ?? []).map((file, i) => certificates(file, `kafka.tls.caFiles[${String(i)}]`));
    return { ssl: tls ? kafkaTlsOptions(tls, caPem, ctx) : undefined, endpoint: outboundTlsOptions({ caPem }, 'core') };
  };
  let material = read();
  const ssl = material.ssl ? liveOptions(() => material.ssl ?? {}) : undefined;
  const endpointTls = liveOptions(() => material.endpoint);
  const sasl = security.sasl ? saslOptions(security.sasl, ctx, security.oauthBearerProvider, endpointTls) : undefined;
  const forgetToken = (): void => {
    if (sasl && 'oauthBearerProvider' in sasl) (sasl.oauthBearerProvider as { forget?: () => void }).forget?.();
  };
  return {
    connection: { clientId: o.clientId, brokers: [...o.brokers], ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) },
    reload: () => {
      material = read();
      forgetToken();
    },
    forgetToken,
  };
}
