// The command-line flags that set worker configuration fields, shared by every command that reads
// the configuration (a file, then environment variables, then these flags).
import type { ParseArgsOptionsConfig } from 'node:util';
import type { ConfigSources } from '../../config/worker-config.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

const FLAGS: readonly {
  readonly flag: string;
  readonly path: readonly string[];
  readonly kind: 'string' | 'number' | 'list' | 'boolean';
}[] = [
  { flag: 'brokers', path: ['kafka', 'brokers'], kind: 'list' },
  { flag: 'topic-prefix', path: ['kafka', 'topicPrefix'], kind: 'string' },
  { flag: 'partitions', path: ['kafka', 'partitions'], kind: 'number' },
  { flag: 'replication-factor', path: ['kafka', 'replicationFactor'], kind: 'number' },
  { flag: 'kafka-tls', path: ['kafka', 'tls', 'enabled'], kind: 'boolean' },
  { flag: 'kafka-ca-files', path: ['kafka', 'tls', 'caFiles'], kind: 'list' },
  { flag: 'kafka-cert-file', path: ['kafka', 'tls', 'clientCertFile'], kind: 'string' },
  { flag: 'kafka-key-file', path: ['kafka', 'tls', 'clientKeyFile'], kind: 'string' },
  { flag: 'kafka-server-name', path: ['kafka', 'tls', 'serverName'], kind: 'string' },
  { flag: 'kafka-sasl-mechanism', path: ['kafka', 'sasl', 'mechanism'], kind: 'string' },
  { flag: 'kafka-sasl-username', path: ['kafka', 'sasl', 'username'], kind: 'string' },
  { flag: 'kafka-sasl-password-file', path: ['kafka', 'sasl', 'passwordFile'], kind: 'string' },
  { flag: 'kafka-oauth-token-endpoint', path: ['kafka', 'sasl', 'oauth', 'tokenEndpoint'], kind: 'string' },
  { flag: 'kafka-oauth-client-id', path: ['kafka', 'sasl', 'oauth', 'clientId'], kind: 'string' },
  { flag: 'kafka-oauth-client-secret-file', path: ['kafka', 'sasl', 'oauth', 'clientSecretFile'], kind: 'string' },
  { flag: 'kafka-oauth-scope', path: ['kafka', 'sasl', 'oauth', 'scope'], kind: 'string' },
  { flag: 'kafka-allow-plaintext', path: ['kafka', 'allowPlaintext'], kind: 'boolean' },
  { flag: 'simulator', path: ['simulator'], kind: 'string' },
  { flag: 'plugins', path: ['plugins'], kind: 'list' },
  { flag: 'max-in-flight', path: ['maxInFlight'], kind: 'number' },
  { flag: 'ingress-port', path: ['ingress', 'port'], kind: 'number' },
  { flag: 'ops-port', path: ['operations', 'port'], kind: 'number' },
  { flag: 'allow-insecure-key-file-permissions', path: ['allowInsecureKeyFilePermissions'], kind: 'boolean' },
];

export const configOptions: ParseArgsOptionsConfig = Object.fromEntries([
  ['config', { type: 'string' }],
  ...FLAGS.map((f): [string, { type: 'string' | 'boolean' }] => [f.flag, { type: f.kind === 'boolean' ? 'boolean' : 'string' }]),
] satisfies [string, { type: 'string' | 'boolean' }][]);

export const configUsage =
  '[--config FILE] [--simulator DESCRIPTOR] [--brokers host:port,…] [--topic-prefix P] [--plugins a,b] [--partitions N] [--replication-factor N] [--kafka-tls] [--kafka-ca-files F,…] [--kafka-cert-file F --kafka-key-file F] [--kafka-server-name NAME] [--kafka-sasl-mechanism M] [--kafka-sasl-username U] [--kafka-sasl-password-file F|env:NAME] [--kafka-oauth-token-endpoint URL --kafka-oauth-client-id ID --kafka-oauth-client-secret-file F] [--kafka-oauth-scope S] [--kafka-allow-plaintext] [--max-in-flight N] [--ingress-port N] [--ops-port N] [--allow-insecure-key-file-permissions]';

export function configFlags(values: Values): ConfigSources {
  const flags = FLAGS.map((f) => {
    const raw = values[f.flag];
    if (f.kind === 'boolean') return { flag: `--${f.flag}`, path: f.path, value: raw === true ? true : undefined };
    if (typeof raw !== 'string') return { flag: `--${f.flag}`, path: f.path, value: undefined };
    // A value that is not a number stays a string, so the schema names the flag in its error.
    const value = f.kind === 'list' ? raw.split(',').filter(Boolean) : f.kind === 'number' && /^\d+$/.test(raw) ? Number(raw) : raw;
    return { flag: `--${f.flag}`, path: f.path, value };
  });
  return { ...(typeof values['config'] === 'string' ? { file: values['config'] } : {}), flags };
}
