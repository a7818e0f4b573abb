// The worker's configuration: one zod schema, fed by an optional JSON file, then environment
// variables, then command-line flags (each overriding the one before). Parsed once at start and
// frozen. Every error names where the bad value came from — the variable, the flag or the file and
// field — and never echoes the value. Secrets are never values here: core's configuration names the
// files (or `env:NAME`) they are read from.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, CoreConfig, parseCoreConfig } from '@paystream/core';
import { DEFAULT_INGRESS_LIMITS, DEFAULT_RETENTION } from '@paystream/runtime';
import { z } from 'zod';
import { AclsConfig } from '../acls/config.ts';
import { ConsoleConfig } from '../console/console-config.ts';
import { CommandsConfig } from './command-auth.ts';
import { CONFIG_FILE_VARIABLE, ENVIRONMENT, parseValue } from './environment.ts';
import { coreConfigFromSimulator } from './from-simulator.ts';
import { checkKafkaSecurity, kafkaSecurityFields } from './kafka-security.ts';

export { CONFIG_FILE_VARIABLE, ENVIRONMENT } from './environment.ts';

const ms = (def: number) => z.number().int().positive().default(def);
const port = z.number().int().min(0, 'a port is 0 (any free port) to 65535').max(65535, 'a port is 0 (any free port) to 65535');
const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A number of days, fractions allowed (tests use minutes): above 0, at most ten years. */
const days = (def: number) =>
  z.number().positive('a number of days above 0 (fractions allowed)').max(3650, 'at most 3650 days (ten years)').default(def);

/** Five minutes: a rolling restart or a scale event settles well within it. */
const RELEASE_GRACE_MS = 300_000;

const StateRetentionConfig = z
  .strictObject({
    /** Days an ended order stays after its outcome became final, so late or duplicated commands and notifications are still recognised. */
    retentionDays: days(DEFAULT_RETENTION.retentionDays),
    /** Days a succeeded order may still be refunded; its retention counts from their end. */
    refundWindowDays: days(DEFAULT_RETENTION.refundWindowDays),
    /** Days the id of an order that left is remembered, and its tombstone kept on the state topic. */
    retiredMemoryDays: days(DEFAULT_RETENTION.retiredMemoryDays),
    /** How often the worker looks for orders whose retention is over (ms). */
    sweepIntervalMs: z
      .number()
      .int()
      .min(10, 'at least 10 ms')
      .max(86_400_000, 'at most a day (86400000 ms)')
      .default(DEFAULT_RETENTION.sweepIntervalMs),
    /**
     * How long a state partition given away is still followed before it is dropped (ms; never less
     * than drainTimeoutMs): one given back meanwhile (a worker restarting, a scale-in after a scale-out)
     * needs no restore, and the drop never competes with the restore of the worker that took it.
     */
    releaseGraceMs: z.number().int().min(0).max(86_400_000, 'at most a day (86400000 ms)').default(RELEASE_GRACE_MS),
  })
  .prefault({});

export const WorkerConfig = z.strictObject({
  kafka: z
    .strictObject({
      brokers: z
        .array(z.string().regex(/^[^\s:,/]+:\d{1,5}$/, 'a broker is host:port'))
        .min(1)
        .default(['127.0.0.1:9092']),
      /** Prefixes every topic and consumer group, so deployments (or test runs) can share a cluster. */
      topicPrefix: z
        .string()
        .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
        .default(''),
      /** Partitions of the topics the worker creates when missing. */
      partitions: z.number().int().min(1).max(10_000).default(6),
      replicationFactor: z.number().int().min(1).max(10).default(1),
      /** Principals that `paystream acls plan|apply` grant least-privilege ACLs to (docs/kafka.md). */
      acls: AclsConfig,
      /** TLS, SASL and the plaintext override of every Kafka client (kafka-security.ts, docs/kafka.md). */
      ...kafkaSecurityFields,
    })
    .superRefine(checkKafkaSecurity)
    .prefault({}),
  /** Methods to run; every plugin the worker lists when absent. */
  plugins: z.array(z.string().regex(kebab, 'plugin names are kebab-case')).min(1).optional(),
  /** Commands accepted and not yet finished, per plugin; fetching waits beyond it. */
  maxInFlight: z.number().int().min(1).max(100_000).default(256),
  /** How long SIGTERM waits for in-flight commands before leaving the group (ms). */
  drainTimeoutMs: ms(30_000),
  ingress: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(0),
      /** PEM files of the ingress' TLS certificate and key; plain HTTP only behind a TLS-terminating proxy. */
      tlsCertFile: z.string().min(1).optional(),
      tlsKeyFile: z.string().min(1).optional(),
      /** Plain HTTP on a non-loopback address: only behind a proxy that terminates TLS. */
      allowPlainHttp: z.boolean().default(false),
      /** TLS 1.3 only unless TLSv1.2 (GCM suites only) is set; the worker then logs a warning at start. */
      minTlsVersion: z.enum(['TLSv1.3', 'TLSv1.2']).default('TLSv1.3'),
      headersTimeoutMs: ms(DEFAULT_INGRESS_LIMITS.headersTimeoutMs),
      requestTimeoutMs: ms(DEFAULT_INGRESS_LIMITS.requestTimeoutMs),
      keepAliveTimeoutMs: ms(DEFAULT_INGRESS_LIMITS.keepAliveTimeoutMs),
      maxConnections: z.number().int().min(1).max(1_000_000).default(DEFAULT_INGRESS_LIMITS.maxConnections),
      maxConnectionsPerClient: z.number().int().min(1).max(1_000_000).default(DEFAULT_INGRESS_LIMITS.maxConnectionsPerClient),
      rateLimit: z
        .strictObject({
          perSecond: z.number().positive().max(1_000_000).default(DEFAULT_INGRESS_LIMITS.rateLimit.perSecond),
          burst: z.number().int().min(1).max(1_000_000).default(DEFAULT_INGRESS_LIMITS.rateLimit.burst),
        })
        .prefault({}),
    })
    .prefault({})
    .refine((i) => (i.tlsCertFile === undefined) === (i.tlsKeyFile === undefined), {
      message: 'give both tlsCertFile and tlsKeyFile, or neither',
    })
    .refine((i) => i.headersTimeoutMs <= i.requestTimeoutMs, { message: 'headersTimeoutMs cannot exceed requestTimeoutMs' })
    .refine((i) => i.maxConnectionsPerClient <= i.maxConnections, { message: 'maxConnectionsPerClient cannot exceed maxConnections' }),
  operations: z.strictObject({ host: z.string().min(1).default('127.0.0.1'), port: port.default(0) }).prefault({}),
  /** Backoff of a command while Midtrans is unavailable (ms). */
  retry: z.strictObject({ baseMs: ms(200), maxMs: ms(30_000) }).prefault({}),
  /** Status inquiries for orders whose outcome has not arrived (ms). */
  reconciler: z
    .strictObject({ firstMs: ms(30_000), maxMs: ms(300_000), concurrency: z.number().int().min(1).max(1_000).default(16) })
    .prefault({}),
  /** How often refused credentials are probed (ms). */
  credentialsProbeMs: ms(5_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Interval of the info-level commands summary (ms); each command's own line is at debug. */
  summaryIntervalMs: ms(60_000),
  /**
   * Folder of the local order-state index, kept across restarts and locked (one process at a time). When
   * absent, the first free slot `index-<n>` of `${XDG_STATE_HOME:-~/.local/state}/paystream` (index-dir.ts).
   */
  stateDir: z.string().min(1).optional(),
  /** Retention of ended orders in the order state (docs/runtime.md, "Retention"); the defaults' reasons are in docs/configuration.md. */
  state: StateRetentionConfig,
  /** Authenticated commands: signatures required or not, and the upstreams allowed to sign (command-auth.ts). */
  commands: CommandsConfig,
  /** Core's configuration (keys by file, Midtrans URLs, TLS, breakers); see docs/core.md. */
  core: CoreConfig.optional(),
  /** Accept private key and secret files readable or writable by group or others; overrides core's setting when given. */
  allowInsecureKeyFilePermissions: z.boolean().optional(),
  /** The operator console (`paystream console`, docs/console.md). */
  console: ConsoleConfig,
  /** Development only: derive core's configuration from a running simulator's descriptor. */
  simulator: z.string().min(1).optional(),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

export interface ConfigSources {
  readonly env?: NodeJS.ProcessEnv;
  /** A JSON file of the WorkerConfig shape; PAYSTREAM_CONFIG_FILE when absent. */
  readonly file?: string;
  /** Values from command-line flags, by field path, with the flag's name for errors. */
  readonly flags?: readonly { readonly flag: string; readonly path: readonly string[]; readonly value: unknown }[];
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (node[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
  }
  node[path.at(-1) ?? ''] = value;
}

/** Every leaf path of a JSON value, for naming the file field an error points at. */
function leaves(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...prefix, k]));
}

export interface LoadedConfig {
  readonly config: Readonly<WorkerConfig>;
  /** Where each field that did not keep its default came from. */
  readonly origins: ReadonlyMap<string, string>;
}

/** Reads, layers, validates and freezes; a ConfigError lists every problem with its origin. */
export function loadWorkerConfig(sources: ConfigSources = {}): LoadedConfig {
  const env = sources.env ?? process.env;
  const input: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const file = sources.file ?? env[CONFIG_FILE_VARIABLE];
  if (file) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError([`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a readable JSON file'}`]);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new ConfigError([`${file}: the configuration file must hold a JSON object`]);
    Object.assign(input, json);
    for (const path of leaves(json)) origins.set(path.join('.'), `${file}: ${path.join('.')}`);
  }
  for (const v of ENVIRONMENT) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') continue;
    setPath(input, v.path, parseValue(raw, v.parse));
    origins.set(v.path.join('.'), v.name);
  }
  for (const f of sources.flags ?? []) {
    if (f.value === undefined) continue;
    setPath(input, f.path, f.value);
    origins.set(f.path.join('.'), f.flag);
  }
  const result = WorkerConfig.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => {
        const path = i.path.map(String);
        let origin: string | undefined;
        for (let n = path.length; n > 0 && origin === undefined; n--) origin = origins.get(path.slice(0, n).join('.'));
        return `${origin ?? (path.join('.') || '(configuration)')}${origin && !origin.includes(path.join('.')) ? ` (${path.join('.')})` : ''}: ${i.message}`;
      }),
    );
  }
  return { config: deepFreeze(result.data), origins };
}

/**
 * Core's configuration, for the commands that talk to Midtrans: given in `core`, or derived from a
 * simulator descriptor (keys written beside it). Parsed and frozen by core's own rules.
 */
export function coreConfigOf(config: WorkerConfig): Readonly<CoreConfig> {
  if ((config.core === undefined) === (config.simulator === undefined)) {
    throw new ConfigError([
      `core: give the Midtrans configuration in the file's "core" object, or (development) a simulator descriptor with --simulator / PAYSTREAM_SIMULATOR — exactly one`,
    ]);
  }
  const insecure =
    config.allowInsecureKeyFilePermissions === undefined ? {} : { allowInsecureKeyFilePermissions: config.allowInsecureKeyFilePermissions };
  if (config.core) return parseCoreConfig({ ...config.core, ...insecure });
  const descriptor = resolve(config.simulator ?? '');
  let derived: object;
  try {
    derived = coreConfigFromSimulator(descriptor, join(dirname(descriptor), 'worker-keys'));
  } catch {
    throw new ConfigError([
      `simulator: ${descriptor} is not a readable simulator descriptor (npm run sim -- --state-file PATH writes one)`,
    ]);
  }
  return parseCoreConfig({ ...derived, ...insecure });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
