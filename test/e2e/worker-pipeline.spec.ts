// Commands on the real broker through the key-ordered consumer, the dispatcher and the GoPay plugin
// to the simulator, and signed result events back: charges, poison commands in the DLQ, and a
// redelivered command that Midtrans does not charge twice.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CloudEvent } from 'cloudevents';
import type {} from '@paystream/kafka-broker/global-setup';
import { createTopics, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { verifyEvent, type ResultEvent } from '@paystream/contracts';
import { createCore, createLogger, parseCoreConfig, type CoreServices } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { gopayPlugin } from '@paystream/plugin-gopay';
import { Dispatcher, KeyOrderedConsumer, OrderReferences } from '@paystream/runtime';
import { coreConfigFromSimulator } from '@paystream/worker';
import type { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const CARD = '4811111111111114';
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let sim: Simulator;
let core: CoreServices;
let consumer: KeyOrderedConsumer;
const dir = mkdtempSync(join(tmpdir(), 'paystream-pipeline-'));
const commandsTopic = uniqueTopic('paystream.commands.gopay');
const resultsTopic = uniqueTopic('paystream.results');
const ordersTopic = uniqueTopic('paystream.orders.state');
let orders: OrderReferences;
const results: { key: string; event: ResultEvent; raw: string }[] = [];
const dlq: KafkaMessage[] = [];

beforeAll(async () => {
  kafka = testKafka(inject('kafkaBrokers'), 'pipeline-test');
  admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [commandsTopic, `${commandsTopic}.dlq`, resultsTopic], 3);
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  core = await createCore(parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), dir)), {
    logger: createLogger({ name: 'pipeline', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() })),
    watchKeys: false,
  });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  orders = await OrderReferences.open(kafka, admin, producer, ordersTopic);
  const dispatcher = new Dispatcher({
    orders,
    plugins: new Map([['gopay', gopayPlugin]]),
    midtrans: core.client,
    producer,
    crypto: { signer: core.eventSigner, cipher: core.fieldCipher, source: 'paystream/test-worker' },
    resultsTopic,
    commandTopic: () => commandsTopic,
  });
  consumer = new KeyOrderedConsumer({
    kafka,
    groupId: uniqueTopic('workers'),
    topics: [commandsTopic],
    maxInFlight: 64,
    handle: (m) => dispatcher.handle(m),
  });
  await consumer.start();
  const reader = kafka.consumer({ groupId: uniqueTopic('reader') });
  await reader.connect();
  await reader.subscribe({ topics: [resultsTopic, `${commandsTopic}.dlq`], fromBeginning: true });
  await reader.run({
    eachMessage: ({ topic, message }) => {
      if (topic === resultsTopic)
        results.push({
          key: message.key?.toString() ?? '',
          event: JSON.parse(message.value?.toString() ?? '{}') as ResultEvent,
          raw: message.value?.toString() ?? '',
        });
      else dlq.push(message);
      return Promise.resolve();
    },
  });
  afterAllHooks.push(() => reader.disconnect());
});

const afterAllHooks: (() => Promise<void>)[] = [];
afterAll(async () => {
  await consumer.stop(5_000);
  for (const h of afterAllHooks) await h();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [commandsTopic, `${commandsTopic}.dlq`, resultsTopic, ordersTopic] });
  await admin.disconnect();
  await core.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function command(orderId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    commandId: randomUUID(),
    type: 'payment.charge',
    method: 'gopay',
    orderId,
    amount: { value: 150_000, currency: 'IDR' },
    customer: { phone: '+6281234567890' },
    details: { returnUrl: 'https://shop.example/back' },
    requestedAt: new Date().toISOString(),
    ...overrides,
  };
}

async function publish(...messages: { key: string; value: string }[]): Promise<void> {
  await producer.send({
    topic: commandsTopic,
    acks: -1,
    messages: messages.map((m) => ({ ...m, headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } })),
  });
}

describe('worker pipeline', () => {
  it('turns charge commands into signed action_required events, one Midtrans charge each', async () => {
    const orders = Array.from({ length: 20 }, (_, i) => `pipe-${String(Date.now())}-${String(i)}`);
    await publish(...orders.map((o) => ({ key: o, value: JSON.stringify(command(o)) })));
    await expect.poll(() => results.filter((r) => orders.includes(r.key)).length, { timeout: 60_000 }).toBe(20);
    for (const r of results.filter((x) => orders.includes(x.key))) {
      expect(r.event.type).toBe('paystream.payment.action_required');
      expect(verifyEvent(r.event, core.eventSigner.publicKeys())).toMatchObject({ valid: true });
      expect(() => new CloudEvent(r.event as unknown as Record<string, unknown>, true).validate()).not.toThrow();
      expect(r.event.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      if (r.event.type === 'paystream.command.rejected') throw new Error('unexpected rejection');
      expect(r.event.data.customerAuthentication.factors).toEqual(['PIN', 'device possession']);
      expect(r.event.data.action?.url).toContain('/pay/');
      expect(r.raw).not.toContain('6281234567890');
    }
    for (const o of orders) expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === o && e.event === 'charge')).toHaveLength(1);
  });

  it('a redelivered command re-sends the same X-EXTERNAL-ID: same event id, still one charge', async () => {
    const order = `redeliver-${String(Date.now())}`;
    const c = JSON.stringify(command(order));
    await publish({ key: order, value: c });
    await publish({ key: order, value: c });
    await expect.poll(() => results.filter((r) => r.key === order).length, { timeout: 90_000 }).toBe(2);
    const [a, b] = results.filter((r) => r.key === order);
    const facts = (e: ResultEvent | undefined) =>
      e?.type === 'paystream.command.rejected' ? e.data : { type: e?.type, status: e?.data.status, midtrans: e?.data.midtrans };
    expect(facts(a?.event)).toEqual(facts(b?.event));
    expect(a?.event.type).toBe('paystream.payment.action_required');
    expect(a?.event.id).toBe(b?.event.id);
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === order && e.event === 'charge')).toHaveLength(1);
  });

  it('sends poison commands to the DLQ with their own codes and a rejected event, and the card number nowhere', async () => {
    // Base 36: a 13-digit timestamp is Luhn-valid one time in ten, and a key naming no order is masked like a card.
    const tag = Date.now().toString(36);
    const poison: [string, string, string][] = [
      [`p-json-${tag}`, '{"orderId": "broken', 'PS_ERR_COMMAND_MALFORMED'],
      [`p-card-${tag}`, JSON.stringify(command(`p-card-${tag}`, { details: { note: `card ${CARD}` } })), 'PS_ERR_COMMAND_CARD_DATA'],
      [`p-schema-${tag}`, JSON.stringify(command(`p-schema-${tag}`, { amount: { value: -5, currency: 'IDR' } })), 'PS_ERR_COMMAND_INVALID'],
      [`p-huge-${tag}`, JSON.stringify(command(`p-huge-${tag}`, { amount: { value: 1e15, currency: 'IDR' } })), 'PS_ERR_COMMAND_INVALID'],
      [`p-method-${tag}`, JSON.stringify(command(`p-method-${tag}`, { method: 'teleport' })), 'PS_ERR_COMMAND_UNKNOWN_METHOD'],
      [`p-3ds-${tag}`, JSON.stringify(command(`p-3ds-${tag}`, { details: { secure: false } })), 'PS_ERR_COMMAND_3DS_DISABLED'],
      [
        `p-details-${tag}`,
        JSON.stringify(command(`p-details-${tag}`, { details: { returnUrl: 'http://insecure' } })),
        'PS_ERR_COMMAND_INVALID_DETAILS',
      ],
    ];
    await publish(...poison.map(([key, value]) => ({ key, value })));
    // The keys still missing, so that a failure names them.
    const missing = (): string[] => poison.map(([key]) => key).filter((key) => !dlq.some((m) => m.key?.toString() === key));
    await expect.poll(missing, { timeout: 90_000 }).toEqual([]);
    expect(dlq.filter((m) => m.key?.toString().endsWith(tag))).toHaveLength(poison.length);
    for (const [key, , code] of poison) {
      const record = dlq.find((m) => m.key?.toString() === key);
      expect(record?.headers?.['paystream-error-code']?.toString(), key).toBe(code);
      expect(record?.value?.toString()).not.toContain(CARD);
    }
    await expect
      .poll(() => results.filter((r) => r.key.endsWith(tag) && r.event.type === 'paystream.command.rejected').length, { timeout: 90_000 })
      .toBe(poison.length - 1);
    expect(results.map((r) => r.raw).join('\n')).not.toContain(CARD);
    // The worker kept going: a good command after the poison is still charged.
    const after = `after-poison-${tag}`;
    await publish({ key: after, value: JSON.stringify(command(after)) });
    await expect.poll(() => results.some((r) => r.key === after), { timeout: 90_000 }).toBe(true);
  });

  it('status and refund commands find the charge through the order state, which survives a restart', async () => {
    const order = `lifecycle-${String(Date.now())}`;
    await publish({ key: order, value: JSON.stringify(command(order)) });
    await expect.poll(() => results.some((r) => r.key === order), { timeout: 90_000 }).toBe(true);
    const tx = sim.store.find('debit', { partnerReferenceNo: order });
    expect(tx).toBeDefined();
    expect(tx?.method).toBe('gopay');
    await import('node:https').then(
      ({ request }) =>
        new Promise<void>((done, fail) =>
          request(`${sim.baseUrl}/pay/${tx?.referenceNo ?? ''}`, { method: 'POST', ca: sim.caCertPem }, (res) =>
            res.resume().on('end', done),
          )
            .on('error', fail)
            .end(),
        ),
    );
    await publish({ key: order, value: JSON.stringify(command(order, { type: 'payment.status' })) });
    await expect
      .poll(() => results.filter((r) => r.key === order).map((r) => r.event.type), { timeout: 90_000 })
      .toEqual(['paystream.payment.action_required', 'paystream.payment.succeeded']);
    await publish({ key: order, value: JSON.stringify(command(order, { type: 'payment.refund' })) });
    await expect
      .poll(() => results.filter((r) => r.key === order).at(-1)?.event.type, { timeout: 90_000 })
      .toBe('paystream.payment.refunded');
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === order).map((e) => e.event)).toEqual(['charge', 'paid', 'refund']);
    const reopened = await OrderReferences.open(kafka, admin, producer, ordersTopic);
    expect(reopened.get(order).references['referenceNo']).toBe(tx?.referenceNo);
  });
});
