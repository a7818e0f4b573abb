// `paystream worker`, `paystream topics create`, `paystream publish`: run the worker and talk to it
// through Kafka as upstream services do.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { PaymentCommand, type ResultEvent } from '@paystream/contracts';
import { parseCoreConfig } from '@paystream/core';
import { PAYMENT_METHOD_PLUGIN } from '@paystream/plugin-sdk';
import { coreConfigFromSimulator } from '../../config/from-simulator.ts';
import { topology } from '@paystream/runtime';
import { ensureTopics, pluginTopics, runWorker, selectPlugins } from '../../worker.ts';
import { output, required, UsageError, type Command } from '../args.ts';

/** `--topic-prefix`, else PAYSTREAM_TOPIC_PREFIX: several deployments (or test runs) on one cluster. */
const namesOf = (values: Record<string, unknown>) => topology(typeof values['topic-prefix'] === 'string' ? values['topic-prefix'] : (process.env['PAYSTREAM_TOPIC_PREFIX'] ?? ''));

const brokersOf = (values: Record<string, unknown>): string[] =>
  (typeof values['brokers'] === 'string' ? values['brokers'] : (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092')).split(',');

function coreConfig(values: Record<string, unknown>) {
  if (typeof values['simulator'] === 'string') return parseCoreConfig(coreConfigFromSimulator(values['simulator'], join(values['simulator'], '..', 'worker-keys')));
  if (typeof values['config'] === 'string') return parseCoreConfig(JSON.parse(readFileSync(values['config'], 'utf8')) as unknown);
  throw new UsageError('give --config FILE (core configuration JSON) or --simulator DESCRIPTOR');
}

export const workerCommand: Command = {
  words: ['worker'],
  summary: 'run the worker: consume commands, call Midtrans, publish signed results (SIGTERM drains and exits 0)',
  usage: 'usage: paystream worker (--config FILE | --simulator DESCRIPTOR) [--plugins gopay,dana] [--brokers host:port,…] [--ingress-port N] [--ops-port N] [--topic-prefix P]',
  options: { config: { type: 'string' }, simulator: { type: 'string' }, plugins: { type: 'string' }, brokers: { type: 'string' }, 'ingress-port': { type: 'string' }, 'ops-port': { type: 'string' }, 'topic-prefix': { type: 'string' } },
  async run(values) {
    const plugins = typeof values['plugins'] === 'string' ? values['plugins'].split(',').filter(Boolean) : undefined;
    const port = Number(values['ingress-port'] ?? 0);
    const worker = await runWorker({ core: coreConfig(values), brokers: brokersOf(values), topicPrefix: namesOf(values).prefix, ...(plugins ? { plugins } : {}), ingress: { port }, operations: { port: Number(values['ops-port'] ?? 0) } });
    console.log(`paystream worker running: ${worker.plugins.join(', ')}; notifications at ${worker.ingressUrl}; health and metrics at ${worker.operationsUrl}`);
    await new Promise<void>((done) => {
      const stop = (): void => void worker.stop().then(done);
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    return 0;
  },
};

export const topicsCreate: Command = {
  words: ['topics', 'create'],
  summary: 'create the command, DLQ, results and order-state topics of the listed plugins',
  usage: 'usage: paystream topics create [--plugins gopay,dana] [--partitions 6] [--brokers host:port,…] [--topic-prefix P]',
  options: { plugins: { type: 'string' }, partitions: { type: 'string' }, brokers: { type: 'string' }, 'topic-prefix': { type: 'string' } },
  async run(values) {
    const names = typeof values['plugins'] === 'string' ? values['plugins'].split(',') : undefined;
    const plugins = selectPlugins(names).getAll(PAYMENT_METHOD_PLUGIN);
    const kafka = new Kafka({ clientId: 'paystream-cli', brokers: brokersOf(values), logLevel: logLevel.ERROR });
    await ensureTopics(kafka, plugins, Number(values['partitions'] ?? 6), namesOf(values));
    output(values, { created: pluginTopics(plugins, namesOf(values)) });
    return 0;
  },
};

export const publishCommand: Command = {
  words: ['publish'],
  summary: 'publish a payment command and (with --wait) print its result events',
  usage: 'usage: paystream publish <method> --order ID --amount RUPIAH [--type charge|status|cancel|refund] [--details JSON] [--wait SECONDS] [--brokers …] [--topic-prefix P]',
  options: { order: { type: 'string' }, amount: { type: 'string' }, type: { type: 'string' }, details: { type: 'string' }, wait: { type: 'string' }, brokers: { type: 'string' }, 'topic-prefix': { type: 'string' } },
  async run(values, [method]) {
    if (!method) throw new UsageError('name the payment method, e.g. paystream publish gopay --order o-1 --amount 150000');
    const command = PaymentCommand.parse({
      commandId: randomUUID(),
      type: `payment.${typeof values['type'] === 'string' ? values['type'] : 'charge'}`,
      method,
      orderId: required(values, 'order'),
      amount: { value: Number(required(values, 'amount')), currency: 'IDR' },
      details: typeof values['details'] === 'string' ? (JSON.parse(values['details']) as unknown) : {},
      requestedAt: new Date().toISOString(),
    });
    const kafka = new Kafka({ clientId: 'paystream-cli', brokers: brokersOf(values), logLevel: logLevel.ERROR });
    const waitS = Number(values['wait'] ?? 0);
    // Listen before publishing, so no result can slip past.
    const names = namesOf(values);
    const listener = waitS > 0 ? await listen(kafka, names.results, command.commandId, values['json'] === true) : undefined;
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: names.commands(method), acks: -1, messages: [{ key: command.orderId, value: JSON.stringify(command) }] });
    await producer.disconnect();
    console.log(`published ${command.type} ${command.commandId} for order ${command.orderId}`);
    if (!listener) return 0;
    await new Promise((r) => setTimeout(r, waitS * 1000));
    return (await listener.close()) > 0 ? 0 : 1;
  },
};

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
      console.log(json ? JSON.stringify(event) : `${event.type}  ${JSON.stringify(event.type === 'paystream.command.rejected' ? event.data : { status: event.data.status, action: event.data.action, midtrans: event.data.midtrans })}`);
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
