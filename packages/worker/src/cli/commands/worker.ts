// `paystream worker`, `paystream topics create`, `paystream publish`, `paystream config check`: run
// the worker and talk to it through Kafka as upstream services do. Each reads the one worker
// configuration (file, then environment, then these flags).
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { PaymentCommand, type ResultEvent } from '@paystream/contracts';
import { createLogger } from '@paystream/core';
import { PAYMENT_METHOD_PLUGIN } from '@paystream/plugin-sdk';
import { auditTopic, createTopicsWithLeaders, topology, type Topology } from '@paystream/runtime';
import { readIngressTls } from '../../config/ingress-tls.ts';
import { kafkaConnection } from '../../kafka-connection.ts';
import { coreConfigOf, loadWorkerConfig, type WorkerConfig } from '../../config/worker-config.ts';
import { configFlags, configOptions, configUsage } from './config-flags.ts';
import { signatureHeaders, signingOptions, signingUsage } from './command-signing.ts';
import { KafkaAdmissionStopped, stopWaitingForKafka } from '../../kafka-admission.ts';
import { alignTombstoneRetention } from '../../state-topic-config.ts';
import { ensureTopics, pluginTopics, runWorker, selectPlugins, type RunningWorker, type WorkerOptions } from '../../worker.ts';
import { output, required, UsageError, type Command } from '../args.ts';
import { startTracing } from '../../tracing/sdk.ts';

/**
 * The Kafka client a CLI command talks through, secured as the configuration says (kafka-connection.ts):
 * plaintext towards a remote broker is refused unless allowed, and then warned about on stderr.
 */
export function cliKafka(config: Readonly<WorkerConfig>): Kafka {
  const connection = kafkaConnection({
    clientId: 'paystream-cli',
    brokers: config.kafka.brokers,
    security: config.kafka,
    allowInsecureKeyFilePermissions: config.allowInsecureKeyFilePermissions ?? config.core?.allowInsecureKeyFilePermissions,
    warn: (message) => console.error(`warning: ${message}`),
  });
  return new Kafka({ ...connection, logLevel: logLevel.ERROR });
}

/** The runWorker options a validated configuration describes. */
export function workerOptions(config: WorkerConfig): WorkerOptions {
  const core = coreConfigOf(config);
  // Read as core reads key files: a failure names the field, never its value; the key is owner-only.
  const tls = readIngressTls(config, core.allowInsecureKeyFilePermissions);
  return {
    core,
    brokers: config.kafka.brokers,
    topicPrefix: config.kafka.topicPrefix,
    kafkaSecurity: { tls: config.kafka.tls, sasl: config.kafka.sasl, allowPlaintext: config.kafka.allowPlaintext },
    partitions: config.kafka.partitions,
    replicationFactor: config.kafka.replicationFactor,
    ...(config.plugins ? { plugins: config.plugins } : {}),
    maxInFlight: config.maxInFlight,
    commandAuth: config.commands.auth,
    logger: createLogger({ name: 'paystream', level: config.logLevel }),
    ingress: {
      host: config.ingress.host,
      port: config.ingress.port,
      ...(tls ? { tls } : {}),
      allowPlainHttp: config.ingress.allowPlainHttp,
      minTlsVersion: config.ingress.minTlsVersion,
      limits: {
        headersTimeoutMs: config.ingress.headersTimeoutMs,
        requestTimeoutMs: config.ingress.requestTimeoutMs,
        keepAliveTimeoutMs: config.ingress.keepAliveTimeoutMs,
        maxConnections: config.ingress.maxConnections,
        maxConnectionsPerClient: config.ingress.maxConnectionsPerClient,
        rateLimit: config.ingress.rateLimit,
      },
    },
    operations: config.operations,
    retry: config.retry,
    reconciler: config.reconciler,
    state: config.state,
    credentialsProbeMs: config.credentialsProbeMs,
    summaryIntervalMs: config.summaryIntervalMs,
    drainTimeoutMs: config.drainTimeoutMs,
    ...(config.stateDir ? { stateDir: config.stateDir } : {}),
  };
}

export const workerCommand: Command = {
  words: ['worker'],
  summary: 'run the worker: consume commands, call Midtrans, publish signed results (SIGTERM drains and exits 0)',
  usage: `usage: paystream worker ${configUsage}\n\nConfiguration: a JSON file (--config or PAYSTREAM_CONFIG_FILE), then environment variables, then these flags; see docs/configuration.md and \`paystream config check\`.`,
  options: configOptions,
  async run(values) {
    const { config } = loadWorkerConfig(configFlags(values));
    // Before anything runs, so every command's spans are recorded; off without an OTLP endpoint (tracing/settings.ts).
    const tracing = startTracing(process.env, (message) => console.error(`warning: ${message}`));
    // Listened for from the start: a SIGTERM while Kafka refuses the worker ends the wait, and the process, cleanly.
    let signalled: string | undefined;
    let stopRunning = (): void => undefined;
    const stop = (signal: string): void => {
      signalled ??= signal;
      stopWaitingForKafka();
      stopRunning();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    let worker: RunningWorker;
    try {
      worker = await runWorker(workerOptions(config));
    } catch (err) {
      await tracing.shutdown();
      if (signalled === undefined || !(err instanceof KafkaAdmissionStopped)) throw err;
      console.log(`paystream worker stopped (${signalled}) while waiting for Kafka to admit it`);
      return 0;
    }
    if (signalled === undefined) {
      console.log(
        `paystream worker running: ${worker.plugins.join(', ')}; notifications at ${worker.ingressUrl}; health and metrics at ${worker.operationsUrl}`,
      );
      await new Promise<void>((done) => (stopRunning = done));
    }
    await worker.stop(config.drainTimeoutMs);
    // After the drain: the spans of the last commands and their commits are exported before exit.
    await tracing.shutdown();
    return 0;
  },
};

/**
 * The audit topic, made when missing: here only, never by the worker, which writes no audit record
 * (and whose principal may not create topics).
 */
async function ensureAuditTopic(kafka: Kafka, names: Topology, replicationFactor: number): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await createTopicsWithLeaders(admin, [auditTopic(names.audit, replicationFactor)]);
  } finally {
    await admin.disconnect();
  }
}

export const topicsCreate: Command = {
  words: ['topics', 'create'],
  summary: 'create the command, DLQ and results topics of the listed plugins, the compacted order-state topic and the audit topic',
  usage: `usage: paystream topics create ${configUsage}`,
  options: configOptions,
  async run(values) {
    const { config } = loadWorkerConfig(configFlags(values));
    const plugins = selectPlugins(config.plugins).getAll(PAYMENT_METHOD_PLUGIN);
    const kafka = cliKafka(config);
    const names = topology(config.kafka.topicPrefix);
    const { retiredMemoryDays } = config.state;
    const created = await ensureTopics(kafka, plugins, config.kafka.partitions, names, config.kafka.replicationFactor, retiredMemoryDays);
    if (await ensureAuditTopic(kafka, names, config.kafka.replicationFactor)) created.push(names.audit);
    const existing = [...pluginTopics(plugins, names), names.orderState, names.audit].filter((t) => !created.includes(t));
    // A state topic made earlier keeps retired orders' tombstones as long as retired ids are remembered from now on.
    const reconfigured = created.includes(names.orderState)
      ? false
      : await alignTombstoneRetention(kafka, names.orderState, retiredMemoryDays);
    output(values, { created, existing, ...(reconfigured ? { reconfigured: [names.orderState] } : {}) });
    return 0;
  },
};

export const publishCommand: Command = {
  words: ['publish'],
  summary: 'publish a payment command and (with --wait) print its result events',
  usage: `usage: paystream publish <method> --order ID --amount RUPIAH [--type charge|status|cancel|refund|approve|deny] [--details JSON] [--wait SECONDS] ${signingUsage} ${configUsage}`,
  options: {
    ...configOptions,
    order: { type: 'string' },
    amount: { type: 'string' },
    type: { type: 'string' },
    details: { type: 'string' },
    wait: { type: 'string' },
    ...signingOptions,
  },
  async run(values, [method]) {
    if (!method) throw new UsageError('name the payment method, e.g. paystream publish gopay --order o-1 --amount 150000');
    const { config } = loadWorkerConfig(configFlags(values));
    const details = parseDetails(values['details']);
    const parsed = PaymentCommand.safeParse({
      commandId: randomUUID(),
      type: `payment.${typeof values['type'] === 'string' ? values['type'] : 'charge'}`,
      method,
      orderId: required(values, 'order'),
      amount: { value: Number(required(values, 'amount')), currency: 'IDR' },
      details,
      requestedAt: new Date().toISOString(),
    });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const command = parsed.data;
    // Serialised once: the signature is over exactly the bytes sent.
    const value = Buffer.from(JSON.stringify(command));
    const insecure = config.allowInsecureKeyFilePermissions ?? config.core?.allowInsecureKeyFilePermissions ?? false;
    const headers = signatureHeaders(values, value, insecure);
    const kafka = cliKafka(config);
    const waitS = Number(values['wait'] ?? 0);
    const names = topology(config.kafka.topicPrefix);
    // Listen before publishing, so no result can slip past.
    const listener = waitS > 0 ? await listen(kafka, names.results, command.commandId, values['json'] === true) : undefined;
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    try {
      await producer.connect();
      await producer.send({ topic: names.commands(method), acks: -1, messages: [{ key: command.orderId, value, headers }] });
    } catch (err) {
      // A refused write (no ACL for the topic) must end the command, not leave its clients holding the process open.
      await listener?.close();
      throw err;
    } finally {
      await producer.disconnect();
    }
    console.log(`published ${command.type} ${command.commandId} for order ${command.orderId}`);
    if (!listener) return 0;
    await new Promise((r) => setTimeout(r, waitS * 1000));
    return (await listener.close()) > 0 ? 0 : 1;
  },
};

function parseDetails(raw: unknown): unknown {
  if (typeof raw !== 'string') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new UsageError('--details must be a JSON object');
  }
}

async function listen(kafka: Kafka, resultsTopic: string, commandId: string, json: boolean): Promise<{ close: () => Promise<number> }> {
  const consumer = kafka.consumer({ groupId: `paystream-cli-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: resultsTopic, fromBeginning: false });
  let found = 0;
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.run({
    eachMessage: ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as ResultEvent;
      if (event.data.commandId !== commandId) return Promise.resolve();
      found++;
      console.log(
        json
          ? JSON.stringify(event)
          : `${event.type}  ${JSON.stringify(event.type === 'paystream.command.rejected' ? event.data : { status: event.data.status, action: event.data.action, midtrans: event.data.midtrans })}`,
      );
      return Promise.resolve();
    },
  });
  await joined;
  return {
    close: async () => {
      await consumer.disconnect();
      return found;
    },
  };
}
