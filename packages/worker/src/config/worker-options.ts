// What runWorker is given: the worker configuration's fields as a program passes them, with core's
// configuration already parsed and the ingress' certificate already read. Each field is the
// configuration schema's own (WorkerConfig), so the defaults are written once, there.
import { ConfigError, type CoreConfig, type Logger } from '@paystream/core';
import type { IngressLimits } from '@paystream/runtime';
import { z } from 'zod';
import { CommandAuthConfig } from './command-auth.ts';
import { KafkaSecurity } from './kafka-security.ts';
import { WorkerConfig } from './worker-config.ts';

const config = WorkerConfig.shape;
const kafka = config.kafka.unwrap().shape;
const ingress = config.ingress.unwrap().shape;

export const WorkerSettings = z.object({
  core: z.custom<Readonly<CoreConfig>>((v) => v !== null && typeof v === 'object', 'a parsed core configuration'),
  brokers: kafka.brokers.unwrap().readonly(),
  /** Plugin methods to run; every plugin the worker lists when absent. */
  plugins: config.plugins.unwrap().readonly().optional(),
  partitions: kafka.partitions,
  replicationFactor: kafka.replicationFactor,
  /** Prefix of every topic and consumer group (see `topology`). */
  topicPrefix: kafka.topicPrefix,
  /** TLS, SASL (or another OAUTHBEARER token provider) and the plaintext override of the worker's Kafka client; plaintext when absent. */
  kafkaSecurity: KafkaSecurity.optional(),
  maxInFlight: config.maxInFlight,
  /** `commands.auth`: which upstreams may sign commands, and whether unsigned ones are refused; none required when absent. */
  commandAuth: CommandAuthConfig,
  /** The worker's logger; core creates one when absent. */
  logger: z.custom<Logger>().optional(),
  /** Where /healthz, /readyz and /metrics are served. */
  operations: config.operations,
  /** Where the notification ingress listens, and how. */
  ingress: z
    .object({
      host: ingress.host,
      port: ingress.port,
      tls: z.object({ certPem: z.string(), keyPem: z.string() }).readonly().optional(),
      /** Plain HTTP on a non-loopback address, behind a TLS-terminating proxy; refused (a fatal error) otherwise. */
      allowPlainHttp: ingress.allowPlainHttp,
      minTlsVersion: ingress.minTlsVersion,
      /** Timeouts, connection caps and the per-client rate limit (DEFAULT_INGRESS_LIMITS where absent). */
      limits: z.custom<Partial<IngressLimits>>().optional(),
    })
    .prefault({}),
  retry: config.retry,
  reconciler: config.reconciler,
  credentialsProbeMs: config.credentialsProbeMs,
  /** Folder of the local order-state index (see OrderStore), kept across restarts; a free slot of the host's when absent. */
  stateDir: config.stateDir,
  /** Retention of ended orders in the order state. */
  state: config.state,
  summaryIntervalMs: config.summaryIntervalMs,
  /** How long `stop()` waits for in-flight commands when not told. */
  drainTimeoutMs: config.drainTimeoutMs,
});
export type WorkerOptions = z.input<typeof WorkerSettings>;
export type WorkerSettings = z.output<typeof WorkerSettings>;

/** The options with every default filled in; a ConfigError names each bad field. */
export function workerSettings(options: WorkerOptions): WorkerSettings {
  const parsed = WorkerSettings.safeParse(options);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`));
  return parsed.data;
}
