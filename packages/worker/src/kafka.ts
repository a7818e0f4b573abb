// The worker's Kafka side: one client, secured by kafka-connection.ts and logging into the worker's
// logger, admitted first (kafka-admission.ts: unready while the brokers refuse it), the topics its
// plugins need, one batching idempotent producer, and the order state read from (and written to) its
// own topic, indexed in a local folder that survives restarts (stateDir, or the first free slot of the
// host). Its credentials are read again on SIGHUP (kafka-credentials-reload.ts).
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import {
  createTopicsWithLeaders,
  defaultIndexRoot,
  INDEX_REBUILD_REASONS,
  keyHashPartitioner,
  OrderReferences,
  orderStateTopic,
  Publisher,
  topology,
  type Topology,
} from '@paystream/runtime';
import { parseKafkaSecurity } from './config/kafka-security.ts';
import { awaitKafkaAdmission } from './kafka-admission.ts';
import { reloadableKafkaConnection } from './kafka-connection.ts';
import { reloadKafkaCredentialsOnSighup } from './kafka-credentials-reload.ts';
import { requireCreate } from './acls/create-permission.ts';
import { kafkaLogs } from './kafka-logs.ts';
import { canSplitState } from './state-split.ts';
import type { WorkerParts } from './tokens.ts';

/** The command, DLQ, results and notification-handover topics of these plugins. */
export function pluginTopics(plugins: readonly PaymentMethodPlugin[], names: Topology = topology()): string[] {
  return [names.results, names.notifications, ...plugins.flatMap((p) => [names.commands(p.method), names.dlq(p.method)])];
}

/** Creates the topics the plugins need (commands, DLQ, results) and the order state when missing; returns those it created. */
export async function ensureTopics(
  kafka: Kafka,
  plugins: readonly PaymentMethodPlugin[],
  partitions: number,
  names: Topology,
  replicationFactor: number,
  /** How long the state topic keeps a retired order's tombstone (`state.retiredMemoryDays`). */
  retiredMemoryDays?: number,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = pluginTopics(plugins, names).filter((t) => !existing.has(t));
    const state = existing.has(names.orderState)
      ? []
      : [orderStateTopic(names.orderState, replicationFactor, retiredMemoryDays, partitions)];
    // Under least-privilege ACLs the worker has no CREATE: say what is missing before anything fails on it.
    await requireCreate(admin, [...wanted, ...state.map((s) => s.topic)]);
    if (wanted.length + state.length > 0)
      await createTopicsWithLeaders(admin, [...wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })), ...state]);
    return [...wanted, ...state.map((s) => s.topic)];
  } finally {
    await admin.disconnect();
  }
}

/** The topics the worker needs, made when missing with its settings' partitions, replication and tombstone retention. */
const ensureWorkerTopics = (
  kafka: Kafka,
  plugins: WorkerParts['plugins'],
  names: Topology,
  s: WorkerParts['settings'],
): Promise<string[]> => ensureTopics(kafka, [...plugins.values()], s.partitions, names, s.replicationFactor, s.state.retiredMemoryDays);

export interface KafkaSide {
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly publisher: Publisher;
  readonly orders: OrderReferences;
}

/** One line per start saying how the local index was found: rebuilt from the topic (and why), or resumed from its checkpoints. */
function reportIndex(orders: OrderReferences, { metrics, log }: Pick<WorkerParts, 'metrics' | 'log'>): void {
  for (const reason of INDEX_REBUILD_REASONS) metrics.stateIndexRebuilds.inc({ reason }, 0);
  const fields = { dir: orders.indexDir, replayed: orders.recordsRead, orders: orders.size };
  const reason = orders.rebuilt;
  if (reason === undefined) {
    log.info(fields, 'order-state index resumed from its checkpoints');
    return;
  }
  metrics.stateIndexRebuilds.inc({ reason });
  // A first start has no index yet; any other reason is worth an operator's look.
  if (reason === 'missing') log.info({ ...fields, reason }, 'order-state index rebuilt from the topic');
  else log.warn({ ...fields, reason }, 'order-state index rebuilt from the topic');
}

/** The order state, split among the fleet when its topics allow it (state-split.ts), read up to its end. */
async function openOrderState(
  kafka: Kafka,
  publisher: Publisher,
  { settings, names, plugins, log, onSkippedRecord }: Pick<WorkerParts, 'settings' | 'names' | 'plugins' | 'log' | 'onSkippedRecord'>,
): Promise<OrderReferences> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await OrderReferences.open(kafka, admin, publisher, names.orderState, {
      ...(settings.stateDir ? { dir: settings.stateDir } : { slotsUnder: defaultIndexRoot() }),
      onSkip: onSkippedRecord,
      retiredMemoryDays: settings.state.retiredMemoryDays,
      partitioned: await canSplitState(admin, names, [...plugins.keys()], log),
      // A partition given away is kept at least while its old commands may still be finishing here.
      releaseGraceMs: Math.max(settings.state.releaseGraceMs, settings.drainTimeoutMs),
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Waits until Kafka admits the worker, then creates the missing topics and reads the order state up to its end. */
export async function connectKafka({
  settings,
  names,
  plugins,
  log,
  onSkippedRecord,
  metrics,
}: Pick<WorkerParts, 'settings' | 'names' | 'plugins' | 'log' | 'onSkippedRecord' | 'metrics'>): Promise<KafkaSide> {
  // Refuses plaintext towards a remote broker, and reads every certificate, key and password, before anything connects.
  const credentials = reloadableKafkaConnection({
    clientId: 'paystream-worker',
    brokers: settings.brokers,
    security: settings.kafkaSecurity,
    allowInsecureKeyFilePermissions: settings.core.allowInsecureKeyFilePermissions,
    warn: (message, fields) => log.warn(fields, message),
  });
  const kafka = new Kafka({
    ...credentials.connection,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogs(log),
  });
  const admission = awaitKafkaAdmission({
    kafka,
    security: parseKafkaSecurity(settings.kafkaSecurity),
    log,
    metrics,
    operations: settings.operations,
    forgetToken: () => credentials.forgetToken(),
  });
  const stopReloads = reloadKafkaCredentialsOnSighup(credentials, log, () => admission.wake());
  try {
    await admission.admitted;
    await ensureWorkerTopics(kafka, plugins, names, settings);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: keyHashPartitioner });
    await producer.connect();
    // The producer is the last Kafka client the stop closes (shutdown.ts): reloads end with it.
    producer.on(producer.events.DISCONNECT, stopReloads);
    const publisher = new Publisher(producer, {
      onError: (err, attempt) => log.error({ err, attempt }, 'producing to Kafka failed; retrying'),
    });
    const orders = await openOrderState(kafka, publisher, { settings, names, plugins, log, onSkippedRecord }).catch(
      async (err: unknown) => {
        // Refused the index (held by another process) or unable to read the topic: nothing stays connected.
        await producer.disconnect().catch(() => undefined);
        throw err;
      },
    );
    reportIndex(orders, { metrics, log });
    return { kafka, producer, publisher, orders };
  } catch (err) {
    stopReloads();
    throw err;
  }
}
