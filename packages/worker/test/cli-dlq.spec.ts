// `paystream dlq inspect|replay` on a DLQ topic of the real broker holding hostile records: forged
// origins, records that are not JSON or fail the schema, masked or truncated payloads, commands of
// another method, and text full of terminal escape sequences and bidi overrides. Records are built
// here in the DlqRecord format, their payload encrypted with the configuration's event key.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DLQ_PAYLOAD_PATH, type DlqRecord } from '@paystream/contracts';
import { FieldCipher } from '@paystream/core';
import { ensureBroker, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { topology } from '@paystream/runtime';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { coreConfigFromSimulator } from '../src/config/from-simulator.ts';
import { createTopicsWithLeaders } from '@paystream/runtime';

const dir = mkdtempSync(join(tmpdir(), 'paystream-cli-dlq-'));
const names = topology(`${uniqueTopic('dlqcli')}.`);
/** What a terminal must never receive from a record: C0 (but newline), DEL, C1, bidi controls. */
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const ESCAPES = '\u001b[2J\u001b]0;owned\u0007\u009b31m\u202eevil\u2066\u0085\u007f\r';
let brokers: string[];
let sim: Simulator;
let kafka: Kafka;
let admin: Admin;
let cipher: FieldCipher;

async function paystream(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await main(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const common = (): string[] => [
  '--simulator',
  join(dir, 'sim.json'),
  '--brokers',
  brokers.join(','),
  '--topic-prefix',
  names.prefix,
  '--plugins',
  'gopay',
];

const command = (orderId: string, method = 'gopay'): string =>
  JSON.stringify({
    commandId: randomUUID(),
    type: 'payment.charge',
    method,
    orderId,
    amount: { value: 10_000, currency: 'IDR' },
    details: {},
    requestedAt: new Date().toISOString(),
  });

function record(payload: string, fields: Partial<DlqRecord> = {}, by = cipher): string {
  const base: DlqRecord = {
    code: 'PS_ERR_COMMAND_INVALID_DETAILS',
    message: 'details.accountToken: expected string',
    originalTopic: names.commands('gopay'),
    originalPartition: 0,
    originalOffset: '5',
    attempts: 1,
    firstSeen: new Date().toISOString(),
    payload: by.encrypt(DLQ_PAYLOAD_PATH, payload),
    payloadBytes: Buffer.byteLength(payload),
  };
  return JSON.stringify({ ...base, ...fields });
}

async function everything(topic: string): Promise<KafkaMessage[]> {
  const high = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  if (high === 0) return [];
  const got: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: `dlq-cli-test-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>(
    (done) => void consumer.run({ eachMessage: ({ message }) => (got.push(message), got.length >= high && done(), Promise.resolve()) }),
  );
  await consumer.disconnect();
  return got;
}

const forged = `forged-${randomUUID().slice(0, 8)}`;
const escapes = `esc-${randomUUID().slice(0, 8)}`;
/** In the records that are not JSON or fail the schema: nothing of them may be printed. */
const hidden = `hidden-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  brokers = (await ensureBroker()).brokers;
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  coreConfigFromSimulator(join(dir, 'sim.json'), join(dir, 'worker-keys'));
  cipher = new FieldCipher([Buffer.from(readFileSync(join(dir, 'worker-keys', 'event-encryption.key'), 'utf8').trim(), 'base64')]);
  kafka = testKafka(brokers, 'cli-dlq-test');
  admin = kafka.admin();
  await admin.connect();
  const topics = [names.commands('gopay'), names.dlq('gopay'), names.orderState];
  await createTopicsWithLeaders(
    admin,
    topics.map((topic) => ({ topic, numPartitions: 1 })),
  );
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const values = [
    record(command(forged), { originalTopic: names.orderState }),
    `not json ${hidden} ${ESCAPES}`,
    JSON.stringify({ code: 'PS_ERR_X', message: `${hidden} ${ESCAPES}`, payload: ESCAPES }),
    record(command('masked-1'), { code: 'PS_ERR_COMMAND_CARD_DATA', payloadMasked: true }),
    record(command('cut-1'), { code: 'PS_ERR_COMMAND_TOO_LARGE', payloadTruncated: true, payloadBytes: 900_000 }),
    record(command('other-1', 'dana'), { originalTopic: names.commands('dana') }),
    record(`{"note":"${ESCAPES}"}`, { message: `bad ${ESCAPES}`, originalTopic: `x${ESCAPES}` }),
    record(command('stranger-1'), {}, new FieldCipher([randomBytes(32)])),
  ];
  await producer.send({
    topic: names.dlq('gopay'),
    acks: -1,
    messages: values.map((value, i) => ({ key: i === 6 ? `${escapes}${ESCAPES}` : `k-${String(i)}`, value })),
  });
  await producer.disconnect();
}, 120_000);

afterAll(async () => {
  await admin.deleteTopics({ topics: [names.commands('gopay'), names.dlq('gopay'), names.orderState] });
  await admin.disconnect();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Listed {
  readonly offset: string;
  readonly key?: string | null;
  readonly record?: { code: string; message: string };
  readonly payload?: string | null;
  readonly payloadNote?: string;
  readonly unreadable?: { code: string; reason: string };
}

describe('paystream dlq inspect on hostile records', () => {
  it('lists unreadable records by position and code only, and decrypts the commands with the configured key', async () => {
    const r = await paystream('dlq', 'inspect', 'gopay', '--json', ...common());
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as Listed[];
    expect(listed.map((e) => e.offset)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(listed[1]).toEqual({ partition: 0, offset: '1', unreadable: { code: 'PS_ERR_DLQ_RECORD_INVALID', reason: 'not UTF-8 JSON' } });
    expect(listed[2]).toEqual({
      partition: 0,
      offset: '2',
      unreadable: { code: 'PS_ERR_DLQ_RECORD_INVALID', reason: 'fails the DlqRecord schema' },
    });
    expect(JSON.parse(listed[0]?.payload ?? '{}')).toMatchObject({ orderId: forged, method: 'gopay' });
    expect(listed[7]).toMatchObject({ payload: null, payloadNote: expect.stringContaining('does not hold') as unknown });
    expect(r.stdout).not.toContain(hidden);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL);
    expect(listed[6]?.key).toContain(`${escapes}\\u001b[2J`);
  });

  it('prints no control character in its listing, whatever the records hold', async () => {
    const r = await paystream('dlq', 'inspect', 'gopay', ...common());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('8 record(s)');
    expect(r.stdout).toMatch(/0:1 {2}unreadable {2}PS_ERR_DLQ_RECORD_INVALID/);
    expect(r.stdout).toContain('\\u001b[2J');
    expect(r.stdout).toContain('\\u202eevil');
    expect(r.stdout).not.toContain(hidden);
    expect(r.stdout).toContain(`"orderId":"${forged}"`);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL);
  });

  it('without an event-encryption key in the configuration, says so and shows the clear fields', async () => {
    const config = join(dir, 'no-core.json');
    writeFileSync(config, JSON.stringify({ kafka: { brokers, topicPrefix: names.prefix } }));
    const r = await paystream('dlq', 'inspect', 'gopay', '--config', config);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('commands are not shown: no event-encryption key could be loaded');
    expect(r.stdout).toContain('PS_ERR_COMMAND_INVALID_DETAILS');
    expect(r.stdout).not.toContain(forged);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL);
  });
});

describe('paystream dlq replay on hostile records', () => {
  it('refuses a choice of unreadable records only, exiting 1', async () => {
    const r = await paystream('dlq', 'replay', 'gopay', '--at', '0:1,0:2', ...common());
    expect(r.code).toBe(1);
    expect(r.stderr.match(/PS_ERR_DLQ_RECORD_INVALID/g)).toHaveLength(2);
    expect(r.stderr).not.toContain(hidden);
  });

  it('--all replays only the valid command, to its method command topic, never to the topic the record names', async () => {
    const r = await paystream('dlq', 'replay', 'gopay', '--all', ...common());
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`replayed 1 record(s): ${names.dlq('gopay')}/0:0`);
    for (const offset of ['0:3', '0:4', '0:5', '0:6', '0:7'])
      expect(r.stderr).toMatch(new RegExp(`not replaying \\S+/${offset}: PS_ERR_DLQ_NOT_REPLAYABLE`));
    expect(r.stderr).toContain('card data');
    expect(r.stderr).toContain('names method dana');
    expect(r.stdout + r.stderr).not.toMatch(CONTROL);
    expect(await everything(names.orderState)).toEqual([]);
    const sent = await everything(names.commands('gopay'));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.key?.toString()).toBe(forged);
    expect(JSON.parse(sent[0]?.value?.toString() ?? '{}')).toMatchObject({ orderId: forged, method: 'gopay' });
    expect(sent[0]?.headers?.['paystream-replayed-from']?.toString()).toBe(`${names.dlq('gopay')}/0:0`);
  });

  it('refuses a method this install does not run', async () => {
    const r = await paystream('dlq', 'replay', 'dana', '--all', ...common());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a method this install runs');
  });
});
