// `paystream dlq inspect|replay`: what operators do with refused commands. Inspect reads a
// method's DLQ (codes, reasons, where each command came from, its masked payload); replay sends
// chosen records back to their command topic once the cause is fixed. A replayed command keeps its
// commandId, so Midtrans sees the same identifiers and nothing is charged twice.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { DlqHeaders, DlqRecord } from '@paystream/contracts';
import { topology } from '@paystream/runtime';
import { loadWorkerConfig } from '../../config/worker-config.ts';
import { UsageError, type Command } from '../args.ts';
import { configFlags, configOptions, configUsage } from './config-flags.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * A record whose payload masking changed (card data, or a number that reads like one) is not the
 * command that was sent: replaying it would send altered bytes — another order id, other details —
 * as if they were the upstream service's command.
 */
const unreplayable = (r: DlqRecord): boolean => r.payloadMasked === true || r.code === 'PS_ERR_COMMAND_CARD_DATA';

interface Entry {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly record: DlqRecord;
}

/** Reads the whole DLQ topic up to its current end. */
async function readDlq(kafka: Kafka, topic: string): Promise<Entry[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  try {
    if (!(await admin.listTopics()).includes(topic)) throw new UsageError(`there is no DLQ topic ${topic}`);
    ends = new Map((await admin.fetchTopicOffsets(topic)).filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
  const entries: Entry[] = [];
  if (ends.size === 0) return entries;
  const consumer = kafka.consumer({ groupId: `paystream-dlq-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: ({ partition, message }) => {
            entries.push(toEntry(partition, message));
            if (Number(message.offset) + 1 >= (ends.get(partition) ?? 0)) ends.delete(partition);
            if (ends.size === 0) done();
            return Promise.resolve();
          },
        })
        .catch(fail);
    });
  } finally {
    await consumer.disconnect();
  }
  return entries.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

function toEntry(partition: number, message: KafkaMessage): Entry {
  const parsed = DlqRecord.safeParse(JSON.parse(message.value?.toString() ?? 'null'));
  const header = (name: string): string => message.headers?.[name]?.toString() ?? '';
  // A record written by something else still shows what its headers say.
  const record: DlqRecord = parsed.success
    ? parsed.data
    : { code: header(DlqHeaders.code) || 'PS_ERR_UNKNOWN', message: header(DlqHeaders.message), originalTopic: header(DlqHeaders.topic), originalPartition: Number(header(DlqHeaders.partition) || 0), originalOffset: header(DlqHeaders.offset), attempts: Number(header(DlqHeaders.attempts) || 1), firstSeen: header(DlqHeaders.firstSeen) || new Date(0).toISOString(), payload: message.value?.toString() ?? '' };
  return { partition, offset: message.offset, key: message.key?.toString() ?? null, record };
}

function select(entries: Entry[], values: Values): Entry[] {
  const code = typeof values['code'] === 'string' ? values['code'] : undefined;
  const at = typeof values['at'] === 'string' ? new Set(values['at'].split(',')) : undefined;
  return entries.filter((e) => (!code || e.record.code === code) && (!at || at.has(`${String(e.partition)}:${e.offset}`)));
}

function kafkaOf(values: Values): { kafka: Kafka; dlqTopic: (method: string) => string } {
  const { config } = loadWorkerConfig(configFlags(values));
  const names = topology(config.kafka.topicPrefix);
  return { kafka: new Kafka({ clientId: 'paystream-cli', brokers: [...config.kafka.brokers], logLevel: logLevel.ERROR }), dlqTopic: (m) => names.dlq(m) };
}

export const dlqInspect: Command = {
  words: ['dlq', 'inspect'],
  summary: "list a method's refused commands: code, reason, origin, attempts, masked payload",
  usage: `usage: paystream dlq inspect <method> [--code PS_ERR_…] [--at PARTITION:OFFSET,…] [--json] ${configUsage}`,
  options: { ...configOptions, code: { type: 'string' }, at: { type: 'string' } },
  async run(values, [method]) {
    if (!method) throw new UsageError('name the payment method, e.g. paystream dlq inspect gopay');
    const { kafka, dlqTopic } = kafkaOf(values);
    const entries = select(await readDlq(kafka, dlqTopic(method)), values);
    if (values['json'] === true) {
      console.log(JSON.stringify(entries, null, 2));
      return 0;
    }
    console.log(`${String(entries.length)} record(s) in ${dlqTopic(method)}`);
    for (const e of entries) {
      const r = e.record;
      console.log(`\n${String(e.partition)}:${e.offset}  ${r.code}  order ${e.key ?? '-'}  attempts ${String(r.attempts)}  first seen ${r.firstSeen}`);
      console.log(`  ${r.message}`);
      console.log(`  from ${r.originalTopic} ${String(r.originalPartition)}:${r.originalOffset}`);
      console.log(`  ${r.payload.length > 300 ? `${r.payload.slice(0, 300)}…` : r.payload}`);
    }
    return 0;
  },
};

export const dlqReplay: Command = {
  words: ['dlq', 'replay'],
  summary: 'send chosen DLQ records back to their command topic (after fixing the cause)',
  usage: `usage: paystream dlq replay <method> (--at PARTITION:OFFSET,… | --code PS_ERR_… | --all) [--dry-run] [--json] ${configUsage}`,
  options: { ...configOptions, code: { type: 'string' }, at: { type: 'string' }, all: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  async run(values, [method]) {
    if (!method) throw new UsageError('name the payment method, e.g. paystream dlq replay gopay --at 0:12');
    if (values['all'] !== true && typeof values['code'] !== 'string' && typeof values['at'] !== 'string') throw new UsageError('choose the records: --at PARTITION:OFFSET,…, --code PS_ERR_… or --all');
    const { kafka, dlqTopic } = kafkaOf(values);
    const selected = select(await readDlq(kafka, dlqTopic(method)), values);
    const chosen = selected.filter((e) => !unreplayable(e.record));
    const withheld = selected.filter((e) => unreplayable(e.record)).map((e) => `${String(e.partition)}:${e.offset}`);
    if (withheld.length > 0) {
      console.error(`not replaying ${withheld.join(', ')}: the stored payload was masked (card data), so it is not the command that was sent; the upstream service must send it again, with a Midtrans card token`);
      if (chosen.length === 0) return 1;
    }
    const replays = chosen.map((e) => ({
      topic: e.record.originalTopic,
      key: e.key,
      value: e.record.payload,
      headers: { [DlqHeaders.attempts]: String(e.record.attempts), [DlqHeaders.firstSeen]: e.record.firstSeen, 'paystream-replayed-from': `${dlqTopic(method)}/${String(e.partition)}:${e.offset}` },
    }));
    if (values['dry-run'] !== true && replays.length > 0) {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      try {
        for (const r of replays) await producer.send({ topic: r.topic, acks: -1, messages: [{ key: r.key, value: r.value, headers: r.headers }] });
      } finally {
        await producer.disconnect();
      }
    }
    const summary = { replayed: values['dry-run'] === true ? 0 : replays.length, chosen: replays.map((r) => r.headers['paystream-replayed-from']) };
    console.log(values['json'] === true ? JSON.stringify(summary, null, 2) : `${values['dry-run'] === true ? 'would replay' : 'replayed'} ${String(replays.length)} record(s)${replays.length ? `: ${summary.chosen.join(', ')}` : ''}`);
    return 0;
  },
};
