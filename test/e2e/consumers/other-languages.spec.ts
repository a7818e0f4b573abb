// The Python, Java and Go consumers of docs/consumers/ against real result events of a running
// worker on the test broker: each verifies and decrypts exactly as the TypeScript verifier does,
// refuses the tampered, the unknown-key and the forged events, and hands a duplicate on only once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import { startSystem, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { go } from './go.ts';
import { java } from './java.ts';
import { consumerArgs, runConsumer, type ConsumerLine, type LanguageConsumer } from './language-consumer.ts';
import { python } from './python.ts';
import { consumerRecords, expectedVerdicts, payOnePerMethod, writeTrust, type TopicRecord, type Trust } from './real-events.ts';

let s: PaystreamSystem;
const dir = mkdtempSync(join(tmpdir(), 'paystream-consumers-'));
let topic: string;
let records: TopicRecord[];
let trust: { file: string; trust: Trust };

beforeAll(async () => {
  s = await startSystem({ name: 'consumers', brokers: inject('kafkaBrokers') });
  const tag = Date.now().toString(36);
  const orders = await payOnePerMethod(s, tag);
  // The first one is tampered with below: a payment event, so that it has an amount to change.
  const real = [...s.results.events.values()]
    .filter((c) => orders.includes(c.key))
    .sort((a, b) => Number(a.event.type === 'paystream.command.rejected') - Number(b.event.type === 'paystream.command.rejected'))
    .map((c) => ({ key: c.key, value: c.raw }));
  records = consumerRecords(real);
  topic = `${s.names.prefix}consumers.results`;
  const admin = s.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = s.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: records });
  await producer.disconnect();
  trust = writeTrust(s, dir);
}, 300_000);

afterAll(async () => {
  await (s as PaystreamSystem | undefined)?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A consumer's lines in topic order, reduced to what the TypeScript verifier also decides. */
function verdicts(lines: readonly ConsumerLine[]): Record<string, unknown>[] {
  return [...lines]
    .sort((a, b) => Number(a.offset) - Number(b.offset))
    .map((l) =>
      l.valid
        ? {
            valid: true,
            keyId: l.keyId,
            id: l.id,
            type: l.type,
            decrypted: l.decrypted,
            ...('duplicate' in l && l.duplicate ? { duplicate: true } : {}),
          }
        : { valid: false, reason: l.reason },
    );
}

describe.each<LanguageConsumer>([python, java, go])('the $language consumer', (consumer) => {
  it('passes its own unit tests', async () => {
    await expect(consumer.unitTests()).resolves.toBeUndefined();
  });

  it('verifies and decrypts every real event as the TypeScript verifier does, and refuses the hostile ones', async () => {
    await consumer.prepare();
    const args = consumerArgs({
      brokers: inject('kafkaBrokers'),
      topic,
      group: `${s.names.prefix}${consumer.language}`,
      trustFile: trust.file,
      maxEvents: records.length,
    });
    const lines = await runConsumer(consumer, args, 120_000);
    expect(lines).toHaveLength(records.length);
    const expected = expectedVerdicts(records, trust.trust);
    const got = verdicts(lines);
    // The record that is no JSON: any reason will do, the TypeScript side has no verdict to compare.
    const notJson = records.findIndex((r) => r.key === 'not-json');
    expect(got[notJson]).toMatchObject({ valid: false });
    expect(got.map((g, i) => (i === notJson ? { valid: false } : g))).toEqual(expected);
    // Every real event was valid and its customer fields decrypted; the three hostile ones refused.
    const real = records.length - 5;
    expect(got.slice(0, real).every((g) => g['valid'] === true)).toBe(true);
    // Contact fields travel on the events that carry the customer: the first result of each charge.
    const asked = got.slice(0, real).filter((g) => g['type'] === 'paystream.payment.action_required');
    expect(asked).toHaveLength(s.methods.length);
    expect(asked.every((g) => (g['decrypted'] as Record<string, unknown>)['customer.phone'] === '+6281234567890')).toBe(true);
    expect(got.slice(real, real + 3).map((g) => g['valid'])).toEqual([false, false, false]);
  });
});
