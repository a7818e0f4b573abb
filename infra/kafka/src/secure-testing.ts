// Test helper for the secured broker (docs/kafka.md, "The secured broker"): one instance shared by every
// test process (leases.ts), its listeners, CA, SCRAM users, mTLS client and OIDC client described for kafkajs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { repoRoot, type BrokerOptions } from './broker.ts';
import { passwordFile, readPassword, SCRAM_USERS } from './credentials.ts';
import { leaseBroker } from './leases.ts';
import { clientSecretFile, issuerUrl } from './oauth.ts';
import { tlsFiles } from './tls.ts';

export interface SecureBroker {
  readonly brokers: string[]; // the SASL_SSL listener, e.g. ['127.0.0.1:19192']
  readonly mtlsBrokers: string[]; // the SSL listener that requires a client certificate
  readonly caFile: string; // PEM of the per-run CA
  readonly admin: { readonly username: string; readonly password: string }; // super user, SCRAM-SHA-512
  /** SCRAM-SHA-512 users: paystream-worker, checkout, ledger, operator. */
  readonly users: Readonly<Record<string, { readonly username: string; readonly passwordFile: string }>>;
  /** The mTLS client of principal User:paystream-worker. */
  readonly clientCert: { readonly certFile: string; readonly keyFile: string; readonly principal: string };
  /**
   * OAUTHBEARER on the SASL_SSL listener: the local issuer's client-credentials token endpoint (HTTP on
   * loopback) and JWKS; the client `paystream-worker` authenticates as User:paystream-worker.
   */
  readonly oauth: {
    readonly tokenEndpoint: string;
    readonly clientId: string;
    readonly clientSecretFile: string;
    readonly jwksUrl: string;
  };
  stop(): Promise<void>;
}

/** Apart from the PLAINTEXT test broker (19092–19093) and the demo brokers, so none disturbs another. */
export function secureTestBrokerOptions(env: NodeJS.ProcessEnv = process.env): BrokerOptions {
  return {
    home: env['PAYSTREAM_SECURE_KAFKA_HOME'] ?? join(repoRoot, '.local/kafka-secure-test'),
    port: Number(env['PAYSTREAM_SECURE_KAFKA_PORT'] ?? 19192),
    portVariable: 'PAYSTREAM_SECURE_KAFKA_PORT',
    secure: true,
  };
}

/**
 * Starts (or reuses) the secured test broker. `stop()` releases this caller's use of it; the broker stops
 * once no process uses it any more, and only if a test helper started it.
 */
export async function ensureSecureBroker(env: NodeJS.ProcessEnv = process.env): Promise<SecureBroker> {
  const opts = secureTestBrokerOptions(env);
  const release = await leaseBroker(opts);
  const tls = tlsFiles(opts.home);
  const users = Object.fromEntries(
    SCRAM_USERS.filter((u) => u !== 'admin').map((username) => [username, { username, passwordFile: passwordFile(opts.home, username) }]),
  );
  return {
    brokers: [`127.0.0.1:${opts.port}`],
    mtlsBrokers: [`127.0.0.1:${opts.port + 2}`],
    caFile: tls.caCert,
    admin: { username: 'admin', password: readPassword(opts.home, 'admin') },
    users,
    clientCert: {
      certFile: tls.certFile('paystream-worker'),
      keyFile: tls.keyFile('paystream-worker'),
      principal: 'User:paystream-worker',
    },
    oauth: {
      tokenEndpoint: `${issuerUrl(opts.port)}/token`,
      clientId: 'paystream-worker',
      clientSecretFile: clientSecretFile(opts.home, 'paystream-worker'),
      jwksUrl: `${issuerUrl(opts.port)}/jwks`,
    },
    stop: release,
  };
}

/** A kafkajs client acting as the super user over SASL_SSL (SCRAM-SHA-512), trusting only the run's CA. */
export function secureAdminKafka(b: SecureBroker, clientId = 'paystream-secure-admin'): Kafka {
  return new Kafka({
    clientId,
    brokers: b.brokers,
    ssl: { ca: [readFileSync(b.caFile, 'utf8')] },
    sasl: { mechanism: 'scram-sha-512', username: b.admin.username, password: b.admin.password },
    logLevel: logLevel.ERROR,
  });
}
