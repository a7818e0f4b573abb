// The composition root: core, the chosen plugins and the runtime wired into one worker — one
// consumer group per plugin, an idempotent producer, the order state — and its orderly shutdown.
import { Container } from 'inversify';
import { Kafka, logLevel, type logCreator } from 'kafkajs';
import { coreModule, createCore, inboundTlsOptions, reloadOnSighup, type CoreConfig, type Logger } from '@paystream/core';
import { PAYMENT_METHOD_PLUGIN, pluginRegistry, type PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { Dispatcher, KeyOrderedConsumer, OrderReferences, Publisher, startIngress, startOperations, topology, WorkerMetrics, type Topology } from '@paystream/runtime';
import { pluginModules } from './plugins.ts';

export interface WorkerOptions {
  readonly core: Readonly<CoreConfig>;
  readonly brokers: readonly string[];
  /** Plugin methods to run; all listed plugins when absent. */
  readonly plugins?: readonly string[];
  readonly partitions?: number;
  /** Prefix of every topic and consumer group (see `topology`); none by default. */
  readonly topicPrefix?: string;
  readonly maxInFlight?: number;
  readonly logger?: Logger;
  /** Where /healthz, /readyz and /metrics are served (default 127.0.0.1, an ephemeral port). */
  readonly operations?: { readonly host?: string; readonly port?: number };
  /** Where the notification ingress listens (default 127.0.0.1, an ephemeral port). */
  readonly ingress?: { readonly host?: string; readonly port?: number; readonly tls?: { readonly certPem: string; readonly keyPem: string } };
}

export interface RunningWorker {
  readonly plugins: readonly string[];
  /** The notification ingress' base URL, to register with Midtrans as the notification URL. */
  readonly ingressUrl: string;
  /** Where /healthz, /readyz and /metrics answer. */
  readonly operationsUrl: string;
  readonly publicKeys: () => { keyId: string; publicKeyPem: string }[];
  stop(drainMs?: number): Promise<void>;
}

export function selectPlugins(names: readonly string[] | undefined): Container {
  const chosen = names ?? Object.keys(pluginModules);
  const unknown = chosen.filter((n) => !Object.hasOwn(pluginModules, n));
  if (unknown.length > 0) throw new Error(`unknown plugin(s): ${unknown.join(', ')}; available: ${Object.keys(pluginModules).join(', ')}`);
  const container = new Container();
  container.load(...chosen.map((n) => pluginModules[n] as NonNullable<(typeof pluginModules)[string]>));
  return container;
}

/** Creates the topics the plugins need (commands, DLQ, results, order state) when missing. */
/** The command, DLQ and results topics of these plugins. */
export function pluginTopics(plugins: readonly PaymentMethodPlugin[], names: Topology = topology()): string[] {
  return [names.results, ...plugins.flatMap((p) => [names.commands(p.method), names.dlq(p.method)])];
}

export async function ensureTopics(kafka: Kafka, plugins: readonly PaymentMethodPlugin[], partitions = 6, names: Topology = topology()): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = pluginTopics(plugins, names).filter((t) => !existing.has(t));
    if (wanted.length > 0) await admin.createTopics({ waitForLeaders: true, topics: wanted.map((topic) => ({ topic, numPartitions: partitions })) });
  } finally {
    await admin.disconnect();
  }
}

/** kafkajs logs into the worker's logger, so they are JSON, redacted and levelled like the rest. */
function kafkaLogs(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafka' });
  return () => ({ level, log }) => {
    const { message, ...rest } = log;
    if (level <= logLevel.ERROR) child.error(rest, message);
    else if (level === logLevel.WARN) child.warn(rest, message);
    else child.debug(rest, message);
  };
}

export async function runWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const core = await createCore(opts.core, opts.logger ? { logger: opts.logger } : {});
  const container = selectPlugins(opts.plugins);
  container.load(coreModule(core));
  const plugins = [...pluginRegistry(container.getAll(PAYMENT_METHOD_PLUGIN)).values()];
  const kafka = new Kafka({ clientId: 'paystream-worker', brokers: [...opts.brokers], logLevel: logLevel.WARN, logCreator: kafkaLogs(core.logger) });
  const names = topology(opts.topicPrefix);
  await ensureTopics(kafka, plugins, opts.partitions, names);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const publisher = new Publisher(producer, { onError: (err, attempt) => core.logger.error({ err, attempt }, 'producing to Kafka failed; retrying') });
  const orders = await OrderReferences.open(kafka, admin, publisher, names.orderState);
  await admin.disconnect();
  const byMethod = new Map(plugins.map((p) => [p.method, p]));
  const metrics = new WorkerMetrics();
  core.client.onCall((c) => metrics.midtransLatency.observe({ family: c.family, path: c.path, result: c.result }, c.durationMs / 1000));
  core.client.onBreakerStateChange((c) => {
    metrics.breakerOpen.set({ merchant: c.merchant, family: c.family }, c.state === 'open' ? 1 : 0);
    core.logger.warn(c, 'circuit breaker state changed');
  });
  const dispatcher = new Dispatcher({
    plugins: byMethod,
    midtrans: core.client,
    publisher,
    orders,
    resultsTopic: names.results,
    commandTopic: (p) => names.commands(p.method),
    accountOf: (merchant) => {
      const m = core.keyRing.merchant(merchant);
      return { ...(m.merchantId ? { merchantId: m.merchantId } : {}), vaPartnerServiceIds: m.virtualAccounts };
    },
    crypto: { signer: core.eventSigner, cipher: core.fieldCipher, source: 'paystream/worker' },
    onOutcome: ({ method, result }) => {
      if (result.startsWith('PS_ERR_')) metrics.dlq.inc({ code: result });
      metrics.commands.inc({ method, outcome: result.startsWith('ignored') ? 'ignored' : result });
      core.logger.info({ method, result }, 'command done');
    },
  });
  const consumers = plugins.map(
    (p) => new KeyOrderedConsumer({ kafka, groupId: names.group(p.method), topics: [names.commands(p.method)], maxInFlight: opts.maxInFlight ?? 256, handle: (m) => dispatcher.handle(m), onError: (err) => core.logger.error({ err }, 'command handling failed') }),
  );
  for (const c of consumers) await c.start();
  const ingress = await startIngress({
    plugins: byMethod,
    verifier: core.verifier,
    orders,
    dispatcher,
    ...(opts.ingress?.host ? { host: opts.ingress.host } : {}),
    ...(opts.ingress?.port ? { port: opts.ingress.port } : {}),
    ...(opts.ingress?.tls ? { tls: inboundTlsOptions(opts.ingress.tls) } : {}),
    onEvent: (e) => {
      metrics.notifications.inc({ outcome: e.outcome.startsWith('rejected') ? 'rejected' : e.outcome.split(':')[0] ?? e.outcome });
      core.logger.info(e, 'notification');
    },
  });
  const readiness = (): string[] => {
    metrics.tokenRequests.set(core.client.tokens.requests);
    metrics.inFlight.set(consumers.reduce((n, c) => n + c.inFlight, 0));
    const open = core.client.breakerStates().filter((b) => b.state === 'open').map((b) => `circuit breaker open: ${b.merchant}/${b.family}`);
    const revoked = core.keyRing.merchantNames().filter((m) => core.keyRing.merchant(m).revoked).map((m) => `credentials revoked: ${m}`);
    return [...open, ...revoked];
  };
  const ops = await startOperations(metrics, readiness, opts.operations ?? {});
  const offSighup = reloadOnSighup(core.keyRing);
  core.logger.info({ plugins: plugins.map((p) => p.method) }, 'worker started');
  return {
    plugins: plugins.map((p) => p.method),
    ingressUrl: ingress.url,
    operationsUrl: ops.url,
    publicKeys: () => core.eventSigner.publicKeys(),
    stop: async (drainMs = 30_000) => {
      offSighup();
      await ingress.close();
      await ops.close();
      await Promise.all(consumers.map((c) => c.stop(drainMs)));
      await orders.close();
      await producer.disconnect();
      await core.close();
      core.logger.info('worker stopped');
    },
  };
}
