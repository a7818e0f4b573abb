// The environment variables of the worker configuration, each mapped to one field and parsed to the
// field's JSON type before the schema validates it; `paystream config check` and docs list them.
export type Parse = 'string' | 'number' | 'list' | 'boolean';

/** Environment variables, each mapped to one field. */
export const ENVIRONMENT: readonly {
  readonly name: string;
  readonly path: readonly string[];
  readonly parse: Parse;
  readonly help: string;
}[] = [
  { name: 'KAFKA_BROKERS', path: ['kafka', 'brokers'], parse: 'list', help: 'Kafka bootstrap brokers, host:port,…' },
  { name: 'PAYSTREAM_TOPIC_PREFIX', path: ['kafka', 'topicPrefix'], parse: 'string', help: 'prefix of every topic and consumer group' },
  { name: 'PAYSTREAM_PARTITIONS', path: ['kafka', 'partitions'], parse: 'number', help: 'partitions of topics created when missing' },
  {
    name: 'PAYSTREAM_REPLICATION_FACTOR',
    path: ['kafka', 'replicationFactor'],
    parse: 'number',
    help: 'replication factor of topics created when missing',
  },
  {
    name: 'KAFKA_TLS',
    path: ['kafka', 'tls', 'enabled'],
    parse: 'boolean',
    help: 'true: TLS to the brokers (system roots when no CA file)',
  },
  { name: 'KAFKA_TLS_CA_FILES', path: ['kafka', 'tls', 'caFiles'], parse: 'list', help: 'CA bundles (PEM) of the brokers, a,b,…' },
  { name: 'KAFKA_TLS_CERT_FILE', path: ['kafka', 'tls', 'clientCertFile'], parse: 'string', help: 'mutual TLS: client certificate (PEM)' },
  { name: 'KAFKA_TLS_KEY_FILE', path: ['kafka', 'tls', 'clientKeyFile'], parse: 'string', help: 'mutual TLS: client private key (PEM)' },
  {
    name: 'KAFKA_TLS_SERVER_NAME',
    path: ['kafka', 'tls', 'serverName'],
    parse: 'string',
    help: "name the brokers' certificates are checked against",
  },
  {
    name: 'KAFKA_SASL_MECHANISM',
    path: ['kafka', 'sasl', 'mechanism'],
    parse: 'string',
    help: 'scram-sha-256, scram-sha-512, plain (TLS only) or oauthbearer',
  },
  { name: 'KAFKA_SASL_USERNAME', path: ['kafka', 'sasl', 'username'], parse: 'string', help: 'SASL user (SCRAM, PLAIN)' },
  { name: 'KAFKA_SASL_PASSWORD_FILE', path: ['kafka', 'sasl', 'passwordFile'], parse: 'string', help: 'SASL password: a file or env:NAME' },
  {
    name: 'KAFKA_SASL_OAUTH_TOKEN_ENDPOINT',
    path: ['kafka', 'sasl', 'oauth', 'tokenEndpoint'],
    parse: 'string',
    help: 'OAUTHBEARER: the OIDC token endpoint (https:)',
  },
  { name: 'KAFKA_SASL_OAUTH_CLIENT_ID', path: ['kafka', 'sasl', 'oauth', 'clientId'], parse: 'string', help: 'OAUTHBEARER: client id' },
  {
    name: 'KAFKA_SASL_OAUTH_CLIENT_SECRET_FILE',
    path: ['kafka', 'sasl', 'oauth', 'clientSecretFile'],
    parse: 'string',
    help: 'OAUTHBEARER: client secret, a file or env:NAME',
  },
  { name: 'KAFKA_SASL_OAUTH_SCOPE', path: ['kafka', 'sasl', 'oauth', 'scope'], parse: 'string', help: 'OAUTHBEARER: scope requested' },
  {
    name: 'KAFKA_ALLOW_PLAINTEXT',
    path: ['kafka', 'allowPlaintext'],
    parse: 'boolean',
    help: 'true: plaintext to brokers that are not on this host (a warning)',
  },
  {
    name: 'PAYSTREAM_COMMANDS_AUTH_REQUIRED',
    path: ['commands', 'auth', 'required'],
    parse: 'boolean',
    help: 'true: refuse unsigned commands (the upstreams allowed to sign are listed in the file)',
  },
  { name: 'PAYSTREAM_PLUGINS', path: ['plugins'], parse: 'list', help: 'payment methods to run, a,b,…' },
  { name: 'PAYSTREAM_MAX_IN_FLIGHT', path: ['maxInFlight'], parse: 'number', help: 'commands in flight per plugin' },
  { name: 'PAYSTREAM_DRAIN_TIMEOUT_MS', path: ['drainTimeoutMs'], parse: 'number', help: 'SIGTERM drain bound' },
  { name: 'PAYSTREAM_INGRESS_HOST', path: ['ingress', 'host'], parse: 'string', help: 'notification ingress address' },
  { name: 'PAYSTREAM_INGRESS_PORT', path: ['ingress', 'port'], parse: 'number', help: 'notification ingress port' },
  { name: 'PAYSTREAM_INGRESS_TLS_CERT_FILE', path: ['ingress', 'tlsCertFile'], parse: 'string', help: 'ingress TLS certificate (PEM)' },
  { name: 'PAYSTREAM_INGRESS_TLS_KEY_FILE', path: ['ingress', 'tlsKeyFile'], parse: 'string', help: 'ingress TLS private key (PEM)' },
  {
    name: 'PAYSTREAM_INGRESS_ALLOW_PLAIN_HTTP',
    path: ['ingress', 'allowPlainHttp'],
    parse: 'boolean',
    help: 'true: plain HTTP on a non-loopback address (behind a TLS proxy)',
  },
  {
    name: 'PAYSTREAM_INGRESS_MIN_TLS_VERSION',
    path: ['ingress', 'minTlsVersion'],
    parse: 'string',
    help: 'TLSv1.3 (default) or TLSv1.2 (GCM suites, logged as a warning)',
  },
  {
    name: 'PAYSTREAM_INGRESS_MAX_CONNECTIONS',
    path: ['ingress', 'maxConnections'],
    parse: 'number',
    help: 'ingress connections open at once',
  },
  {
    name: 'PAYSTREAM_INGRESS_MAX_CONNECTIONS_PER_CLIENT',
    path: ['ingress', 'maxConnectionsPerClient'],
    parse: 'number',
    help: 'ingress connections from one address',
  },
  {
    name: 'PAYSTREAM_INGRESS_RATE_LIMIT',
    path: ['ingress', 'rateLimit', 'perSecond'],
    parse: 'number',
    help: 'ingress requests per second per address',
  },
  { name: 'PAYSTREAM_OPS_HOST', path: ['operations', 'host'], parse: 'string', help: '/healthz, /readyz, /metrics address' },
  { name: 'PAYSTREAM_OPS_PORT', path: ['operations', 'port'], parse: 'number', help: '/healthz, /readyz, /metrics port' },
  { name: 'PAYSTREAM_RETRY_BASE_MS', path: ['retry', 'baseMs'], parse: 'number', help: 'first backoff while Midtrans is unavailable' },
  { name: 'PAYSTREAM_RETRY_MAX_MS', path: ['retry', 'maxMs'], parse: 'number', help: 'backoff cap while Midtrans is unavailable' },
  {
    name: 'PAYSTREAM_RECONCILE_FIRST_MS',
    path: ['reconciler', 'firstMs'],
    parse: 'number',
    help: 'delay before a waiting order is first inquired',
  },
  { name: 'PAYSTREAM_RECONCILE_MAX_MS', path: ['reconciler', 'maxMs'], parse: 'number', help: 'cap of the inquiry backoff' },
  { name: 'PAYSTREAM_RECONCILE_CONCURRENCY', path: ['reconciler', 'concurrency'], parse: 'number', help: 'reconciler inquiries in flight' },
  { name: 'PAYSTREAM_CREDENTIALS_PROBE_MS', path: ['credentialsProbeMs'], parse: 'number', help: 'probe interval of refused credentials' },
  { name: 'PAYSTREAM_LOG_LEVEL', path: ['logLevel'], parse: 'string', help: 'fatal, error, warn, info, debug, trace or silent' },
  {
    name: 'PAYSTREAM_SUMMARY_INTERVAL_MS',
    path: ['summaryIntervalMs'],
    parse: 'number',
    help: 'interval of the commands summary log line',
  },
  {
    name: 'PAYSTREAM_STATE_DIR',
    path: ['stateDir'],
    parse: 'string',
    help: 'folder of the local order-state index, kept across restarts (default: a free slot under ~/.local/state/paystream)',
  },
  {
    name: 'PAYSTREAM_STATE_RETENTION_DAYS',
    path: ['state', 'retentionDays'],
    parse: 'number',
    help: 'days an ended order stays in the order state after its outcome (default 30)',
  },
  {
    name: 'PAYSTREAM_STATE_REFUND_WINDOW_DAYS',
    path: ['state', 'refundWindowDays'],
    parse: 'number',
    help: 'days a succeeded order may be refunded; its retention counts from their end (default 365)',
  },
  {
    name: 'PAYSTREAM_STATE_RETIRED_MEMORY_DAYS',
    path: ['state', 'retiredMemoryDays'],
    parse: 'number',
    help: 'days the id of an order that left the state is remembered (default 90)',
  },
  {
    name: 'PAYSTREAM_STATE_SWEEP_INTERVAL_MS',
    path: ['state', 'sweepIntervalMs'],
    parse: 'number',
    help: 'how often orders whose retention is over are looked for (default 60000)',
  },
  {
    name: 'PAYSTREAM_STATE_RELEASE_GRACE_MS',
    path: ['state', 'releaseGraceMs'],
    parse: 'number',
    help: 'how long a state partition given away is kept before it is dropped (default 300000; at least the drain timeout)',
  },
  { name: 'PAYSTREAM_SIMULATOR', path: ['simulator'], parse: 'string', help: 'development: a simulator descriptor instead of core' },
  {
    name: 'PAYSTREAM_ALLOW_INSECURE_KEY_FILE_PERMISSIONS',
    path: ['allowInsecureKeyFilePermissions'],
    parse: 'boolean',
    help: 'true: accept key and secret files readable by group or others',
  },
];

/**
 * The variables that set these values (e.g. `{ kafka: { sasl } }`), for starting a worker process with
 * them; a value no variable sets is left out.
 */
export function environmentOf(values: object): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of ENVIRONMENT) {
    let value: unknown = values;
    for (const key of v.path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(value)) env[v.name] = value.map(String).join(',');
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') env[v.name] = String(value);
  }
  return env;
}

/** Where the configuration file is named. */
export const CONFIG_FILE_VARIABLE = 'PAYSTREAM_CONFIG_FILE';

/** A variable's text as its field's JSON type. */
export function parseValue(raw: string, parse: Parse): unknown {
  if (parse === 'list')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  // Not a number stays a string, so the schema reports it against the variable's name (an integer field refuses a fraction).
  if (parse === 'number') return /^-?\d+(?:\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (parse === 'boolean') return raw.trim() === 'true' ? true : raw.trim() === 'false' ? false : raw;
  return raw;
}
