// Bound commandIds in the real order-state topic: a worker that restarts, or another worker, finds
// the order a commandId is bound to, and a Midtrans reference can never name an order through one.
import { randomUUID } from 'node:crypto';
import type {} from '@paystream/kafka-broker/global-setup';
import { testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { Publisher } from '../src/kafka/publisher.ts';
import { OrderReferences } from '../src/state/order-references.ts';
import { commandBindingField, commandKey } from '../src/state/state-merge.ts';

let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const topic = uniqueTopic('paystream.orders.state');

beforeAll(async () => {
  kafka = testKafka(inject('kafkaBrokers'), 'runtime-command-bindings');
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] });
  await producer.disconnect();
  await admin.disconnect();
});

it('finds the order of a bound commandId after a restart, and never through orderOf', async () => {
  const commandId = randomUUID();
  const field = commandBindingField(commandId);
  const first = await OrderReferences.open(kafka, admin, new Publisher(producer), topic, { dir: ':memory:' });
  await first.remember('o-bound', { commands: { [commandKey(commandId)]: 'fingerprint-of-the-charge' } });
  expect(first.orderOfCommand(commandId)).toBe('o-bound');
  await first.close();

  const restarted = await OrderReferences.open(kafka, admin, new Publisher(producer), topic, { dir: ':memory:' });
  try {
    expect(restarted.orderOfCommand(commandId)).toBe('o-bound');
    expect(restarted.orderOfCommand(commandId.toUpperCase())).toBe('o-bound');
    expect(restarted.get('o-bound').commands).toEqual({ [commandKey(commandId)]: 'fingerprint-of-the-charge' });
    expect(restarted.orderOf(field)).toBeUndefined();
    expect(restarted.orderOfCommand(randomUUID())).toBeUndefined();
  } finally {
    await restarted.close();
  }
});
