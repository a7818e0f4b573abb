// The composition root: core, the chosen plugins and the runtime wired into one worker — one
// consumer group per plugin, one batching idempotent producer, the order state and its reconciler,
// the notification ingress, pausing while Midtrans is unreachable or refuses our credentials — and
// its orderly shutdown.
import { Container } from 'inversify';
import { Kafka, logLevel, type logCreator } from 'kafkajs';
import { coreModule, createCore, inboundTlsOptions, reloadOnSighup, type CoreConfig, type Logger } from '@paystream/core';
import { PAYMENT_METHOD_PLUGIN, pluginRegistry, type PaymentMethodPlugin } from '@paystream/plugin-sdk';
import {
  CredentialsWatch,
  Dispatcher,
  KeyOrderedConsumer,
  keyHashPartitioner,
  OrderReferences,
  PauseControl,
  Publisher,
  Reconciler,
  STATE_SKIP_REASONS,
  refusePlainHttpExposure,
  startIngress,
  startOperations,
  topology,
  WorkerMetrics,
  outcomeLabel,
  type IngressLimits,
  type Outcome,
  type SkippedStateRecord,
  type Topology,
} from '@paystream/runtime';
import { watchBreakers } from './breaker-watch.ts';
import { probeCredentials } from './credentials-probe.ts';
import { OutcomeSummary } from './outcome-summary.ts';
import { pluginModules } from './plugins.ts';

export interface WorkerOptions {
  readonly core: Readonly<CoreConfig>;
  readonly brokers: readonly string[];
  /** Plugin methods to run; all listed plugins when absent. */
  readonly plugins?: readonly string[];
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** Prefix of every topic and consumer group (see `topology`); none by default. */
  readonly topicPrefix?: string;
  readonly maxInFlight?: number;
  readonly logger?: Logger;
  /** Where /healthz, /readyz and /metrics are served (default 127.0.0.1, an ephemeral port). */
  readonly operations?: { readonly host?: string; readonly port?: number };
  /** Where the notification ingress listens (default 127.0.0.1, an ephemeral port). */
  readonly ingress?: {
    readonly host?: string;
    readonly port?: number;
    readonly tls?: { readonly certPem: string; readonly keyPem: string };
    /** Plain HTTP on a non-loopback address, behind a TLS-terminating proxy; refused (PS_ERR_INGRESS_PLAIN_HTTP) otherwise. */
    readonly allowPlainHttp?: boolean;
    /** TLSv1.3 (default) or TLSv1.2 with the GCM suites, logged as a warning at start. */
    readonly minTlsVersion?: 'TLSv1.3' | 'TLSv1.2';
    /** Timeouts, connection caps and the per-client rate limit (DEFAULT_INGRESS_LIMITS where absent). */
    readonly limits?: Partial<IngressLimits>;
  };
  /** Backoff while Midtrans is unavailable for a command (ms). */
  readonly retry?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Status inquiries for orders whose outcome has not arrived (ms; see Reconciler). */
  readonly reconciler?: { readonly firstMs?: number; readonly maxMs?: number; readonly concurrency?: number };
  /** How often refused credentials are probed (ms). */
  readonly credentialsProbeMs?: number;
  /** Folder of the local order-state index (see OrderStore); a fresh temporary folder by default. */
  readonly stateDir?: string;
  /** How often the info-level summary of the commands handled is logged (ms, default 60 s). */
  readonly summaryIntervalMs?: number;
}

export interface RunningWorker {
  readonly plugins: readonly string[];
  /** The notification ingress' base URL, to register with Midtrans as the notification URL. */
  readonly ingressUrl: string;
  /** Where /healthz, /readyz and /metrics answer. */
  readonly operationsUrl: string;
  readonly publicKeys: () => { keyId: string; publicKeyPem: string }[];
  /** Each reason the worker is not ready; empty when it is. */
  readonly readiness: () => string[];
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

/** The command, DLQ and results topics of these plugins. */
export function pluginTopics(plugins: readonly PaymentMethodPlugin[], names: Topology = topology()): string[] {
  return [names.results, ...plugins.flatMap((p) => [names.commands(p.method), names.dlq(p.method)])];
}

/** Creates the topics the plugins need (commands, DLQ, results) when missing; returns those it created. */
export async function ensureTopics(
  kafka: Kafka,
  plugins: readonly PaymentMethodPlugin[],
  partitions = 6,
  names: Topology = topology(),
  replicationFactor = 1,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = pluginTopics(plugins, names).filter((t) => !existing.has(t));
    if (wanted.length > 0)
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
      });
    return wanted;
  } finally {
    await admin.disconnect();
  }
}

/** kafkajs logs into the worker's logger, so they are JSON, redacted and levelled like the rest. */
function kafkaLogs(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafka' });
  return () =>
    ({ level, log }) => {
      const { message, ...rest } = log;
      if (level <= logLevel.ERROR) child.error(rest, message);
      else if (level === logLevel.WARN) child.warn(rest, message);
      else child.debug(rest, message);
    };
}

export async function runWorker(opts: WorkerOptions): Promise<RunningWorker> {
  // Before anything connects: a worker that would expose plain HTTP does not start at all.
  refusePlainHttpExposure(opts.ingress);
  const core = await createCore(opts.core, opts.logger ? { logger: opts.logger } : {});
  const log = core.logger;
  const container = selectPlugins(opts.plugins);
  container.load(coreModule(core));
  const plugins = [...pluginRegistry(container.getAll(PAYMENT_METHOD_PLUGIN)).values()];
  const byMethod = new Map(plugins.map((p) => [p.method, p]));
  const kafka = new Kafka({
    clientId: 'paystream-worker',
    brokers: [...opts.brokers],
    logLevel: logLevel.WARN,
    logCreator: kafkaLogs(log),
  });
  const names = topology(opts.topicPrefix);
  await ensureTopics(kafka, plugins, opts.partitions, names, opts.replicationFactor);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: keyHashPartitioner });
  await producer.connect();
  const publisher = new Publisher(producer, {
    onError: (err, attempt) => log.error({ err, attempt }, 'producing to Kafka failed; retrying'),
  });
  const admin = kafka.admin();
  await admin.connect();
  const metrics = new WorkerMetrics();
  for (const reason of STATE_SKIP_REASONS) metrics.stateRecordsSkipped.inc({ reason }, 0);
  // A bad state record is skipped, never read into an order: only where it is and why are logged.
  const onSkip = (skipped: SkippedStateRecord): void => {
    metrics.stateRecordsSkipped.inc({ reason: skipped.reason });
    log.warn({ topic: names.orderState, ...skipped }, 'order-state record skipped');
  };
  const orders = await OrderReferences.open(kafka, admin, publisher, names.orderState, {
    ...(opts.stateDir ? { dir: opts.stateDir } : {}),
    onSkip,
  });
  await admin.disconnect();

  const consumers = new Map(
    plugins.map((p) => [
      p.method,
      new KeyOrderedConsumer({
        kafka,
        groupId: names.group(p.method),
        topics: [names.commands(p.method)],
        maxInFlight: opts.maxInFlight ?? 256,
        handle: (m) => dispatcher.handle(m),
        onError: (err) => log.error({ err }, 'command handling failed'),
      }),
    ]),
  );
  const control = new PauseControl(
    plugins.map((p) => ({
      method: p.method,
      api: p.api,
      pause: () => consumers.get(p.method)?.pause(),
      resume: () => consumers.get(p.method)?.resume(),
    })),
    (reasons) => log.warn({ reasons, paused: control.paused() }, reasons.length > 0 ? 'consumption paused' : 'consumption resumed'),
  );
  const credentials = new CredentialsWatch({
    control,
    probe: (merchant, family) => probeCredentials(core, merchant, family),
    ...(opts.credentialsProbeMs ? { intervalMs: opts.credentialsProbeMs } : {}),
    onChange: (e) =>
      log.warn(
        e,
        e.refused
          ? 'Midtrans refuses the credentials: consumption of their plugins pauses'
          : 'the credentials work again: consumption resumes',
      ),
  });

  const summary = new OutcomeSummary();
  const outcome = (o: Outcome): void => {
    // Labels come from closed sets only: a loaded plugin's method, a status, `ignored` or a refusal code.
    const method = byMethod.has(o.method) ? o.method : 'unknown';
    const kind = outcomeLabel(o);
    if (o.kind === 'refused') metrics.dlq.inc({ code: o.code });
    metrics.commands.inc({ method, outcome: kind });
    if (o.latencyMs !== undefined) metrics.commandLatency.observe({ method }, o.latencyMs / 1000);
    summary.add(method, kind, o.latencyMs);
    // A line per command costs more CPU than the rest of its handling but the Midtrans call and the
    // signature; the metrics and the periodic summary carry the counts, refusals keep their line.
    if (o.kind === 'refused') log.info(o, 'command done');
    else log.debug(o, 'command done');
  };
  const dispatcher = new Dispatcher({
    plugins: byMethod,
    midtrans: core.client,
    publisher,
    orders,
    resultsTopic: names.results,
    commandTopic: (p) => names.commands(p.method),
    ...(opts.retry?.baseMs ? { retryBaseMs: opts.retry.baseMs } : {}),
    ...(opts.retry?.maxMs ? { retryMaxMs: opts.retry.maxMs } : {}),
    crypto: { signer: core.eventSigner, cipher: core.fieldCipher, source: 'paystream/worker' },
    accountOf: (merchant) => {
      const m = core.keyRing.merchant(merchant);
      return { ...(m.merchantId ? { merchantId: m.merchantId } : {}), vaPartnerServiceIds: m.virtualAccounts };
    },
    merchantKnown: (merchant) => merchant === undefined || core.keyRing.merchantNames().includes(merchant),
    onOutcome: outcome,
    onError: (err) => log.error({ err }, 'writing the outcome of a command failed; retrying'),
    onMidtransError: (err, plugin, command) => {
      if (err.kind === 'auth' || err.kind === 'credentials-revoked')
        credentials.report(command.merchant ?? core.keyRing.defaultMerchant, plugin.api);
      log.warn(
        { err, method: plugin.method, orderId: command.orderId, commandId: command.commandId },
        'Midtrans call failed; retrying with the same identifiers',
      );
    },
  });

  core.client.onCall((c) => metrics.midtransLatency.observe({ family: c.family, path: c.path, result: c.result }, c.durationMs / 1000));
  const offBreakers = watchBreakers(core, {
    control,
    onChange: (c) => {
      metrics.breakerOpen.set({ merchant: c.merchant, family: c.family }, c.state === 'closed' ? 0 : 1);
      log.warn(c, 'circuit breaker state changed');
    },
    onProbeFailed: (c, err) => log.info({ ...c, err }, 'Midtrans still failing: the breaker probes again after its reset timeout'),
  });
  for (const m of core.keyRing.merchantNames()) {
    if (core.keyRing.merchant(m).revoked) for (const family of new Set(plugins.map((p) => p.api))) credentials.report(m, family);
  }
  const offReload = core.keyRing.onReload(({ ok }) => {
    if (!ok) return;
    for (const m of core.keyRing.merchantNames()) {
      if (core.keyRing.merchant(m).revoked) for (const family of new Set(plugins.map((p) => p.api))) credentials.report(m, family);
    }
    void credentials.check();
  });

  const reconciler = new Reconciler({
    orders,
    plugins: byMethod,
    dispatcher,
    ...opts.reconciler,
    owned: () =>
      [...consumers].flatMap(([method, c]) => (c.assignment[names.commands(method)] ?? []).map((partition) => ({ method, partition }))),
    run: (orderId, task) => consumers.get(orders.get(orderId)['method'] ?? '')?.submit(orderId, task) ?? task(),
    onEvent: (e) => {
      const unchanged = e.outcome.startsWith('still');
      metrics.reconcilerInquiries.inc({ outcome: unchanged ? 'unchanged' : (e.outcome.split(':')[0] ?? e.outcome) });
      if (unchanged) log.debug(e, 'reconciled');
      else log.info(e, 'reconciled');
    },
  });
  for (const c of consumers.values()) c.onAssignment(() => reconciler.rescan());
  for (const c of consumers.values()) await c.start();
  reconciler.start();

  const ingress = await startIngress({
    plugins: byMethod,
    verifier: core.verifier,
    orders,
    dispatcher,
    ...(opts.ingress?.host ? { host: opts.ingress.host } : {}),
    ...(opts.ingress?.port ? { port: opts.ingress.port } : {}),
    ...(opts.ingress?.tls ? { tls: inboundTlsOptions(opts.ingress.tls, { minVersion: opts.ingress.minTlsVersion ?? 'TLSv1.3' }) } : {}),
    ...(opts.ingress?.allowPlainHttp ? { allowPlainHttp: true } : {}),
    ...(opts.ingress?.limits ? { limits: opts.ingress.limits } : {}),
    onEvent: (e) => {
      metrics.notifications.inc({ outcome: e.outcome });
      // Refusals a client can repeat at will are counted, not logged one by one.
      if (e.outcome === 'rate-limited' || e.outcome === 'not-found') log.debug(e, 'notification');
      else log.info(e, 'notification');
    },
  });
  if (opts.ingress?.tls && opts.ingress.minTlsVersion === 'TLSv1.2') {
    log.warn(
      { ingress: ingress.url },
      'the notification ingress accepts TLS 1.2 (GCM suites): BI-SNAP sunset TLS 1.2 on 30 June 2026; set ingress.minTlsVersion to TLSv1.3 once every sender speaks it',
    );
  }
  if (!opts.ingress?.tls && opts.ingress?.allowPlainHttp)
    log.warn({ ingress: ingress.url }, 'the notification ingress serves plain HTTP: only behind a proxy that terminates TLS');

  const readiness = (): string[] => [
    ...[...consumers].filter(([, c]) => !c.joined).map(([m]) => `kafka: the ${m} consumer has not joined its group`),
    ...control.reasons(),
    ...(publisher.failing ? ['kafka: producing fails'] : []),
    ...(orders.following ? [] : ['kafka: the order-state reader stopped']),
  ];
  metrics.onScrape(() => {
    metrics.tokenRequests.set(core.client.tokens.requests);
    metrics.inFlight.set([...consumers.values()].reduce((n, c) => n + c.inFlight, 0));
    metrics.orders.set(orders.size);
    metrics.reconcilerWaiting.set(reconciler.waiting);
    for (const p of plugins) metrics.paused.set({ method: p.method }, control.paused().includes(p.method) ? 1 : 0);
    metrics.consumerLag.reset();
    for (const c of consumers.values())
      for (const l of c.lag()) metrics.consumerLag.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
  });
  const ops = await startOperations(metrics, readiness, opts.operations ?? {});
  const offSighup = reloadOnSighup(core.keyRing);
  const summaries = setInterval(() => {
    const lag = [...consumers.values()].reduce((n, c) => n + c.lag().reduce((m, l) => m + l.lag, 0), 0);
    const inFlight = [...consumers.values()].reduce((n, c) => n + c.inFlight, 0);
    log.info({ ...summary.take(), inFlight, lag, orders: orders.size }, 'commands summary');
  }, opts.summaryIntervalMs ?? 60_000);
  summaries.unref();
  log.info(
    { plugins: plugins.map((p) => p.method), topicPrefix: names.prefix, ingress: ingress.url, operations: ops.url },
    'worker started',
  );
  return {
    plugins: plugins.map((p) => p.method),
    ingressUrl: ingress.url,
    operationsUrl: ops.url,
    publicKeys: () => core.eventSigner.publicKeys(),
    readiness,
    stop: async (drainMs = 30_000) => {
      clearInterval(summaries);
      offSighup();
      offReload();
      reconciler.stop();
      credentials.stop();
      await ingress.close();
      await ops.close();
      await Promise.all([...consumers.values()].map((c) => c.stop(drainMs)));
      offBreakers();
      await orders.close();
      await producer.disconnect();
      await core.close();
      log.info('worker stopped');
    },
  };
}
