// `paystream dlq inspect|replay`: what operators do with refused commands. Inspect reads a
// method's DLQ (codes, reasons, where each command came from, the command itself for an operator
// holding the event-encryption key); replay sends chosen records back to their method's command
// topic once the cause is fixed. A replayed command keeps its commandId, so Midtrans sees the same
// identifiers and nothing is charged twice. Records are hostile input: see dlq/*.ts.
import type { Kafka } from 'kafkajs';
import { PAYMENT_METHOD_PLUGIN } from '@paystream/plugin-sdk';
import { topology, type Topology } from '@paystream/runtime';
import { loadWorkerConfig, type WorkerConfig } from '../../config/worker-config.ts';
import { selectPlugins } from '../../worker.ts';
import { UsageError, type Command } from '../args.ts';
import { printInspection } from '../dlq/inspect-output.ts';
import { readDlq, select } from '../dlq/dlq-records.ts';
import { openPayloadReader, type PayloadReader } from '../dlq/payload-reader.ts';
import { printable, printableJson } from '../dlq/printable.ts';
import { isReplay, planReplay, type Refusal, type Replay } from '../dlq/replay-plan.ts';
import { signatureHeaders, signingOptions, signingUsage } from './command-signing.ts';
import { configFlags, configOptions, configUsage } from './config-flags.ts';
import { cliKafka } from './worker.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

interface Session {
  readonly config: Readonly<WorkerConfig>;
  readonly kafka: Kafka;
  readonly names: Topology;
}

function open(values: Values, method: string | undefined, example: string): Session & { method: string } {
  if (!method) throw new UsageError(`name the payment method, e.g. ${example}`);
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(method)) throw new UsageError('a payment method is a kebab-case plugin id, e.g. gopay');
  const { config } = loadWorkerConfig(configFlags(values));
  const kafka = cliKafka(config);
  return { config, kafka, names: topology(config.kafka.topicPrefix), method };
}

async function withPayloads<T>(config: Readonly<WorkerConfig>, use: (payloads: PayloadReader) => Promise<T>): Promise<T> {
  const payloads = await openPayloadReader(config);
  try {
    return await use(payloads);
  } finally {
    await payloads.close();
  }
}

export const dlqInspect: Command = {
  words: ['dlq', 'inspect'],
  summary: "list a method's refused commands: code, reason, origin, attempts, the command (with the event-encryption key)",
  usage: `usage: paystream dlq inspect <method> [--code PS_ERR_…] [--at PARTITION:OFFSET,…] [--json] ${configUsage}`,
  options: { ...configOptions, code: { type: 'string' }, at: { type: 'string' } },
  async run(values, [name]) {
    const { config, kafka, names, method } = open(values, name, 'paystream dlq inspect gopay');
    const entries = select(await readDlq(kafka, names.dlq(method)), values);
    await withPayloads(config, (payloads) => {
      printInspection(names.dlq(method), entries, payloads, values['json'] === true);
      return Promise.resolve();
    });
    return 0;
  },
};

/**
 * With --signing-key each replayed command is signed over the bytes sent, as the operator's own
 * upstream entry in `commands.auth` (a DLQ record keeps no signature, and the original signer's key
 * stays with that service).
 */
function signed(values: Values, config: Readonly<WorkerConfig>, replays: readonly Replay[]): Replay[] {
  const insecure = config.allowInsecureKeyFilePermissions ?? config.core?.allowInsecureKeyFilePermissions ?? false;
  return replays.map((r) => ({ ...r, headers: { ...r.headers, ...signatureHeaders(values, Buffer.from(r.value), insecure) } }));
}

async function send(kafka: Kafka, replays: readonly Replay[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const r of replays)
      await producer.send({ topic: r.topic, acks: -1, messages: [{ key: r.key, value: r.value, headers: r.headers }] });
  } finally {
    await producer.disconnect();
  }
}

function report(values: Values, replays: readonly Replay[], refused: readonly Refusal[]): void {
  const dry = values['dry-run'] === true;
  for (const r of refused) console.error(`not replaying ${printable(r.from)}: ${r.code}: ${printable(r.reason)}`);
  const summary = { replayed: dry ? 0 : replays.length, chosen: replays.map((r) => r.from), refused };
  const chosen = replays.length > 0 ? `: ${summary.chosen.join(', ')}` : '';
  console.log(
    values['json'] === true
      ? JSON.stringify(printableJson(summary), null, 2)
      : printable(`${dry ? 'would replay' : 'replayed'} ${String(replays.length)} record(s)${chosen}`),
  );
}

export const dlqReplay: Command = {
  words: ['dlq', 'replay'],
  summary: "send chosen DLQ records back to their method's command topic (after fixing the cause)",
  usage: `usage: paystream dlq replay <method> (--at PARTITION:OFFSET,… | --code PS_ERR_… | --all) [--dry-run] [--json] ${signingUsage} ${configUsage}`,
  options: {
    ...configOptions,
    ...signingOptions,
    code: { type: 'string' },
    at: { type: 'string' },
    all: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  async run(values, [name]) {
    const { config, kafka, names, method } = open(values, name, 'paystream dlq replay gopay --at 0:12');
    if (values['all'] !== true && typeof values['code'] !== 'string' && typeof values['at'] !== 'string')
      throw new UsageError('choose the records: --at PARTITION:OFFSET,…, --code PS_ERR_… or --all');
    const installed = new Set(
      selectPlugins(config.plugins)
        .getAll(PAYMENT_METHOD_PLUGIN)
        .map((p) => p.method),
    );
    if (!installed.has(method)) throw new UsageError(`${method} is not a method this install runs (${[...installed].join(', ')})`);
    const selected = select(await readDlq(kafka, names.dlq(method)), values);
    const plans = await withPayloads(config, (payloads) =>
      Promise.resolve(selected.map((e) => planReplay(e, { method, names, installed, payloads }))),
    );
    const replays = signed(values, config, plans.filter(isReplay));
    const refused = plans.filter((p): p is Refusal => !isReplay(p));
    if (values['dry-run'] !== true && replays.length > 0) await send(kafka, replays);
    report(values, replays, refused);
    return refused.length > 0 && replays.length === 0 ? 1 : 0;
  },
};
