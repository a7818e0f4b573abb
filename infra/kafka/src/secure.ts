// What differs between the PLAINTEXT broker and the secured one at start-up: its configuration and
// JVM flags, its certificates and secrets, the SCRAM users written at format time, and how the
// readiness probe authenticates. (Its OIDC issuer process is started by broker.ts, see oauth.ts.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePasswords, passwordFile, readPassword, scramFormatArguments } from './credentials.ts';
import { BrokerError } from './errors.ts';
import { ensureOAuthMaterial, oauthJvmFlags, oauthProperties } from './oauth.ts';
import type { ProbeSecurity } from './probe.ts';
import { plainProperties, secureProperties } from './properties.ts';
import { BROKER_PRINCIPAL, ensureTls, tlsFiles } from './tls.ts';

export interface InstanceSetup {
  readonly properties: string;
  /** Extra `kafka-storage format` arguments: the SCRAM users of a secured broker. */
  readonly formatArguments: readonly string[];
  /** Extra JVM flags of the broker. */
  readonly jvmFlags: readonly string[];
}

/** Formatted data keeps its mode: SCRAM users exist only if the storage was formatted secured. */
function checkMode(home: string, dataDir: string, secure: boolean): void {
  if (!existsSync(join(dataDir, 'meta.properties'))) return;
  const hasSecrets = existsSync(passwordFile(home, 'admin'));
  if (secure && !hasSecrets) {
    throw new BrokerError(`${home} holds data formatted without the secured broker's users; use another KAFKA_HOME for --secure.`);
  }
  if (!secure && hasSecrets) {
    throw new BrokerError(`${home} holds a secured broker; start it with --secure, or use another KAFKA_HOME.`);
  }
}

export function prepareInstance(home: string, dataDir: string, port: number, secure: boolean): InstanceSetup {
  checkMode(home, dataDir, secure);
  if (!secure) return { properties: plainProperties(dataDir, port), formatArguments: [], jvmFlags: [] };
  ensurePasswords(home);
  ensureOAuthMaterial(home);
  const tls = ensureTls(home);
  const superUsers = ['User:admin', `User:${BROKER_PRINCIPAL}`];
  const layout = { port, caFile: tls.caCert, keystoreFile: tls.brokerKeystore, superUsers, oauth: oauthProperties(port) };
  return { properties: secureProperties(dataDir, layout), formatArguments: scramFormatArguments(home), jvmFlags: oauthJvmFlags(port) };
}

/** The super user over SASL_SSL (SCRAM-SHA-512), trusting only this home's CA. */
export function adminSecurity(home: string): Required<ProbeSecurity> {
  return {
    ssl: { ca: [readFileSync(tlsFiles(home).caCert, 'utf8')] },
    sasl: { mechanism: 'scram-sha-512', username: 'admin', password: readPassword(home, 'admin') },
  };
}
