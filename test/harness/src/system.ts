// One whole Paystream for a test or a benchmark: the Midtrans simulator, N real worker processes
// behind a notification load balancer, the upstream publisher, the verifying downstream collector,
// simulated customers and the ledger check — on topics of its own, torn down completely at the end.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { PaymentCommand, PublishedKey } from '@paystream/contracts';
import type { CoreConfigInput } from '@paystream/core';
import { CORE_NOTIFICATION_PATH, topology, type Topology } from '@paystream/runtime';
import {
  coreConfigFromSimulator,
  kafkaConnection,
  kafkaSecurityEnvironment,
  pluginModules,
  type KafkaSecurityInput,
} from '@paystream/worker';
import { Cleanup } from './cleanup.ts';
import { ResultCollector } from './collector.ts';
import { Customers } from './customers.ts';
import { publishedKeyOf } from './event-keys.ts';
import { NotificationForwarder } from './forwarder.ts';
import { checkLedger, type LedgerReport } from './ledger.ts';
import { readLogLines, type LogLine } from './logs.ts';
import { payWhenAsked, type PayOptions } from './payer.ts';
import { applyRunAcls, securedAccess, type RunAccess, type SecuredRun } from './secured.ts';
import { startRunSimulator, type RunningSimulator } from './simulator.ts';
import { createRunTopics, deleteRunTopics } from './topics.ts';
import { chargeCommand, Upstream, type ChargeSpec } from './upstream.ts';
import { WorkerFleet } from './workers.ts';

export interface SystemOptions {
  /** Names the run's topic prefix and temporary folder. */
  readonly name: string;
  readonly brokers: readonly string[];
  /** Worker processes (default 1). */
  readonly workers?: number;
  /** Plugins the workers run (default: every plugin of the worker). */
  readonly plugins?: readonly string[];
  /** PAYSTREAM_LOG_LEVEL of the workers (default info). */
  readonly logLevel?: string;
  /** The reconciler's first inquiry delay and backoff cap (default 500 ms / 2 s). */
  readonly reconcile?: { readonly firstMs: number; readonly maxMs: number };
  /** How much faster than Midtrans the simulator retries webhooks (default 600: 2 min → 0.2 s). */
  readonly webhookTimeScale?: number;
  /**
   * Operator settings on top of the simulator's core configuration; when given, the workers run
   * with `--config` on the merged file instead of `--simulator`.
   */
  readonly core?: Pick<CoreConfigInput, 'http' | 'breaker'>;
  /**
   * The operator's whole core configuration, from the one derived for the simulator (secrets written
   * under `dir`/worker-keys): where a scenario names its own key files, slots and revocation list.
   * Implies `--config`, as `core` does; applied after `core`.
   */
  readonly configure?: (base: CoreConfigInput, dir: string) => CoreConfigInput;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * TLS, SASL and the plaintext override (the worker configuration's `kafka.tls`, `kafka.sasl`,
   * `kafka.allowPlaintext`) of the harness's own clients: the admin, the upstream publisher and the
   * result collector. Plaintext when absent, as the local test broker speaks.
   */
  readonly kafkaSecurity?: KafkaSecurityInput;
  /** The workers' own, given to them as environment variables (KAFKA_TLS_…, KAFKA_SASL_…); `kafkaSecurity` when absent. */
  readonly workerKafkaSecurity?: KafkaSecurityInput;
  /**
   * The secured broker, each party as its own principal with the ACLs `paystream acls apply` grants
   * (see secured.ts); replaces `brokers`, `kafkaSecurity` and `workerKafkaSecurity`.
   */
  readonly secured?: SecuredRun;
}

export interface PaystreamSystem {
  readonly dir: string;
  readonly names: Topology;
  readonly methods: readonly string[];
  readonly kafka: Kafka;
  readonly simulator: RunningSimulator;
  readonly workers: WorkerFleet;
  readonly forwarder: NotificationForwarder;
  readonly upstream: Upstream;
  readonly results: ResultCollector;
  readonly customers: Customers;
  /** The workers' event-signing public key: all a downstream verifier is given. */
  readonly publicKey: PublishedKey;
  /** A charge command; card charges get a fresh card token from the customer. */
  charge(spec: ChargeSpec): Promise<PaymentCommand>;
  /** Customers pay each order as soon as its action_required event arrives. */
  payWhenAsked(orderIds: readonly string[], opts: PayOptions): Promise<void>;
  /** The ledger against the charge commands (default: every charge published in the run). */
  ledger(charges?: readonly PaymentCommand[]): LedgerReport;
  workerLogs(): LogLine[];
  close(): Promise<void>;
}

/** What a charge of the method needs when the test names nothing: a fresh card token, a bank, a store, a provider. */
export async function defaultDetails(method: string, customers: Customers): Promise<Record<string, unknown>> {
  if (method === 'card-3ds') return { tokenId: await customers.cardToken() };
  if (method === 'va') return { bank: 'bca' };
  if (method === 'cstore') return { store: 'alfamart' };
  if (method === 'pay-later') return { provider: 'akulaku' };
  return {};
}

function runPrefix(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}.${Date.now().toString(36)}.${randomBytes(3).toString('hex')}.`;
}

/** Who connects how: on the secured broker each party is its own principal; otherwise the options' settings. */
function accessOf(opts: SystemOptions, dir: string): RunAccess {
  if (opts.secured) return securedAccess(opts.secured, dir);
  const shared = opts.kafkaSecurity;
  return { admin: shared, upstream: shared, downstream: shared, worker: opts.workerKafkaSecurity ?? shared, workerBrokers: opts.brokers };
}

const kafkaAs = (brokers: readonly string[], clientId: string, security: KafkaSecurityInput | undefined): Kafka =>
  new Kafka({ ...kafkaConnection({ clientId, brokers, security }), logLevel: logLevel.NOTHING });

function workerEnv(opts: SystemOptions, security: KafkaSecurityInput | undefined): Record<string, string> {
  const reconcile = opts.reconcile ?? { firstMs: 500, maxMs: 2_000 };
  return {
    PAYSTREAM_LOG_LEVEL: opts.logLevel ?? 'info',
    PAYSTREAM_RECONCILE_FIRST_MS: String(reconcile.firstMs),
    PAYSTREAM_RECONCILE_MAX_MS: String(reconcile.maxMs),
    ...(security ? kafkaSecurityEnvironment(security) : {}),
    ...opts.env,
  };
}

/** The simulator's core configuration with the operator's settings, as a `--config` worker configuration file. */
function writeCoreConfig(dir: string, descriptorPath: string, opts: SystemOptions): string {
  const base = { ...coreConfigFromSimulator(descriptorPath, join(dir, 'worker-keys')), ...opts.core };
  const file = join(dir, 'worker-config.json');
  writeFileSync(file, JSON.stringify({ core: opts.configure ? opts.configure(base, dir) : base }, null, 2), { mode: 0o600 });
  return file;
}

export async function startSystem(opts: SystemOptions): Promise<PaystreamSystem> {
  const cleanup = new Cleanup();
  const dir = mkdtempSync(join(tmpdir(), `paystream-${opts.name}-`));
  cleanup.add('remove the run folder', () => {
    if (!process.env['PAYSTREAM_HARNESS_KEEP']) rmSync(dir, { recursive: true, force: true });
  });
  try {
    const names = topology(runPrefix(opts.name));
    const methods = opts.plugins ?? Object.keys(pluginModules);
    const access = accessOf(opts, dir);
    const brokers = opts.secured?.broker.brokers ?? opts.brokers;
    const kafka = kafkaAs(brokers, 'paystream-harness', access.admin);
    const admin: Admin = kafka.admin();
    await admin.connect();
    cleanup.add('disconnect the admin client', () => admin.disconnect());
    cleanup.add('delete the run topics', () => deleteRunTopics(admin, names.prefix));
    await createRunTopics(admin, names, methods);
    if (opts.secured) {
      const revoke = await applyRunAcls(opts.secured, access, dir, names, methods);
      cleanup.add("remove the run's ACLs", () => revoke(admin));
    }
    const simulator = await startRunSimulator(dir, opts.webhookTimeScale ?? 600);
    cleanup.add('stop the simulator', () => simulator.close());
    const configFile = opts.core || opts.configure ? writeCoreConfig(dir, simulator.descriptorPath, opts) : undefined;
    const workers = await WorkerFleet.create({
      dir,
      descriptorPath: simulator.descriptorPath,
      ...(configFile ? { configFile } : {}),
      brokers: access.workerBrokers,
      topicPrefix: names.prefix,
      size: opts.workers ?? 1,
      plugins: methods,
      env: workerEnv(opts, access.worker),
    });
    cleanup.add('stop the workers', () => workers.stopAll());
    const forwarder = await NotificationForwarder.start(() => workers.ingressUrls);
    cleanup.add('stop the notification forwarder', () => forwarder.close());
    await simulator.admin.webhooks({ snapBaseUrl: forwarder.url, coreNotificationUrl: `${forwarder.url}${CORE_NOTIFICATION_PATH}` });
    await workers.startAll();
    const publicKey = publishedKeyOf(join(dir, 'worker-keys', 'event-signing.pem'));
    const results = await ResultCollector.start(kafkaAs(brokers, 'paystream-harness-downstream', access.downstream), names, methods, [
      publicKey,
    ]);
    cleanup.add('stop the result collector', () => results.stop());
    const upstream = await Upstream.connect(kafkaAs(brokers, 'paystream-harness-upstream', access.upstream), names);
    cleanup.add('disconnect the upstream publisher', () => upstream.disconnect());
    const { sim, admin: simAdmin, http } = simulator;
    const customers = new Customers({ baseUrl: sim.baseUrl, clientKey: sim.credentials.clientKey, http, admin: simAdmin });
    return {
      dir,
      names,
      methods,
      kafka,
      simulator,
      workers,
      forwarder,
      upstream,
      results,
      customers,
      publicKey,
      charge: async (spec) => chargeCommand(spec.details ? spec : { ...spec, details: await defaultDetails(spec.method, customers) }),
      payWhenAsked: (orderIds, payOpts) => payWhenAsked(results, customers, orderIds, payOpts),
      ledger: (charges) => checkLedger(sim.store.ledger, charges ?? [...upstream.sent.values()].filter((c) => c.type === 'payment.charge')),
      workerLogs: () => readLogLines(workers.logFiles),
      close: () => cleanup.run(),
    };
  } catch (err) {
    await cleanup.run().catch(() => undefined);
    throw err;
  }
}
