// The worker under measurement, in a process of its own so that its RSS and CPU are its own.
//
// Mode `worker` is the product: `runWorker`, the composition root `paystream worker` runs, with the
// GoPay plugin. Mode `naive` is the baseline: the same core, Dispatcher, order state and GoPay plugin
// behind kafkajs `eachMessage` with autoCommit — one command at a time — so the only difference is
// the consumption model.
//
// Argument: the JSON of WorkerProcessOptions. It reports over the IPC channel (see WorkerMessage):
// `ready` once consuming; on `mark` it restarts its counters; on `stats` it answers with what it
// measured since the mark — event-loop utilisation, CPU and every Kafka request by API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createCore, parseCoreConfig } from '@paystream/core';
import { gopayPlugin } from '@paystream/plugin-gopay';
import { Dispatcher, OrderReferences, outcomeLabel, Publisher, topology } from '@paystream/runtime';
import { coreConfigFromSimulator, kafkaConnection, runWorker, type KafkaSecurityInput } from '@paystream/worker';

export interface WorkerProcessOptions {
  readonly mode: 'worker' | 'naive';
  /** The simulator's descriptor file, and a folder for the worker's own keys. */
  readonly descriptor: string;
  readonly keysDir: string;
  readonly brokers: readonly string[];
  /** TLS and SASL of every Kafka client (the worker configuration's `kafka.tls`, `kafka.sasl`); plaintext when absent. */
  readonly kafkaSecurity?: KafkaSecurityInput;
  readonly topicPrefix: string;
  readonly partitions: number;
  readonly connectionsPerOrigin: number;
}

export interface KafkaRequestStats {
  count: number;
  /** Sum of the time from the request's write to its answer, ms. */
  durationMs: number;
  /** Sum of the time a request waited in the client's queue before being written, ms. */
  pendingMs: number;
}

export interface WorkerStats {
  readonly type: 'stats';
  readonly elu: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly heapUsedMb: number;
  /** The largest of each process.memoryUsage() figure seen since the mark, sampled every 250 ms, MiB. */
  readonly peakMemoryMb: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** By client role and Kafka API: `producer Produce`, `consumer Fetch`, `state follower Fetch`, … */
  readonly requests: Record<string, KafkaRequestStats>;
}

export type WorkerMessage = { readonly type: 'ready' } | WorkerStats;

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerProcessOptions;
const requests = new Map<string, KafkaRequestStats>();

// Every Kafka client the worker makes is created through Kafka.prototype; listening to each one's
// request events counts the round trips a command costs, without touching the runtime.
interface Instrumented {
  on(event: string, listener: (e: { payload: { apiName: string; duration: number; pendingDuration: number } }) => void): unknown;
  events: { REQUEST: string };
}
function count(role: string, client: Instrumented): void {
  client.on(client.events.REQUEST, ({ payload }) => {
    const key = `${role} ${payload.apiName}`;
    const s = requests.get(key) ?? { count: 0, durationMs: 0, pendingMs: 0 };
    s.count++;
    s.durationMs += payload.duration;
    s.pendingMs += payload.pendingDuration;
    requests.set(key, s);
  });
}
/** Clients are told apart by role: the order-state follower's group is `paystream-state-…`. */
function instrument(kind: 'producer' | 'consumer'): void {
  const original = Reflect.get(Kafka.prototype, kind) as (...args: unknown[]) => Instrumented;
  Reflect.set(Kafka.prototype, kind, function (this: Kafka, ...args: unknown[]) {
    const client = Reflect.apply(original, this, args);
    const group = (args[0] as { groupId?: string } | undefined)?.groupId ?? '';
    count(kind === 'producer' ? 'producer' : group.startsWith('paystream-state') ? 'state follower' : 'consumer', client);
    return client;
  });
}
instrument('producer');
instrument('consumer');

function coreConfig() {
  const input = coreConfigFromSimulator(options.descriptor, options.keysDir);
  return parseCoreConfig({ ...input, http: { connectionsPerOrigin: options.connectionsPerOrigin } });
}

async function startWorker(): Promise<() => Promise<void>> {
  // Each measured worker starts on an empty index of its own, as every round before checkpoints did.
  const stateDir = mkdtempSync(join(tmpdir(), 'paystream-bench-state-'));
  const worker = await runWorker({
    core: coreConfig(),
    brokers: options.brokers,
    ...(options.kafkaSecurity ? { kafkaSecurity: options.kafkaSecurity } : {}),
    plugins: ['gopay'],
    partitions: options.partitions,
    topicPrefix: options.topicPrefix,
    stateDir,
  });
  return async () => {
    await worker.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}

async function startNaive(): Promise<() => Promise<void>> {
  const core = await createCore(coreConfig());
  const names = topology(options.topicPrefix);
  const connection = kafkaConnection({ clientId: 'paystream-naive', brokers: options.brokers, security: options.kafkaSecurity });
  const kafka = new Kafka({ ...connection, logLevel: logLevel.WARN });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const publisher = new Publisher(producer);
  const orders = await OrderReferences.open(kafka, admin, publisher, names.orderState);
  await admin.disconnect();
  const dispatcher = new Dispatcher({
    plugins: new Map([['gopay', gopayPlugin]]),
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
    onOutcome: (o) => core.logger.info({ method: o.method, outcome: outcomeLabel(o) }, 'command done'),
  });
  const consumer = kafka.consumer({ groupId: names.group('gopay') });
  await consumer.connect();
  await consumer.subscribe({ topic: names.commands('gopay'), fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    eachMessage: ({ topic, partition, message }) => dispatcher.handle({ topic, partition, message }),
  });
  return async () => {
    await consumer.disconnect();
    await orders.close();
    await producer.disconnect();
    await core.close();
  };
}

const send = (m: WorkerMessage): void => void process.send?.(m);
const noPeak = (): WorkerStats['peakMemoryMb'] => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 });
let peak = noPeak();
setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k] / 2 ** 20);
}, 250).unref();
let elu = performance.eventLoopUtilization();
let cpu = process.cpuUsage();
let since = performance.now();

process.on('message', (m: { type: string }) => {
  if (m.type === 'mark') {
    elu = performance.eventLoopUtilization();
    cpu = process.cpuUsage();
    since = performance.now();
    peak = noPeak();
    requests.clear();
  } else if (m.type === 'stats') {
    const used = process.cpuUsage(cpu);
    send({
      type: 'stats',
      elu: performance.eventLoopUtilization(elu).utilization,
      cpuSeconds: (used.user + used.system) / 1e6,
      wallSeconds: (performance.now() - since) / 1000,
      heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
      peakMemoryMb: { ...peak },
      requests: Object.fromEntries(requests),
    });
  }
});

const stop = await (options.mode === 'worker' ? startWorker() : startNaive());
send({ type: 'ready' });
process.once('SIGTERM', () => {
  void stop().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
