// Midtrans notifications through the ingress: a customer pays, the simulator's signed notification
// is verified, confirmed by status inquiry and published as one `succeeded` (deduplicated by event
// id even when delivered twice); a tampered or unsigned notification is refused and publishes nothing.
import { randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type {} from '@paystream/kafka-broker/global-setup';
import { createTopics, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { verifyEvent, type ResultEvent } from '@paystream/contracts';
import { createCore, createLogger, parseCoreConfig, type CoreServices } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { card3dsPlugin } from '@paystream/plugin-card-3ds';
import { gopayPlugin } from '@paystream/plugin-gopay';
import { CORE_NOTIFICATION_PATH, Dispatcher, KeyOrderedConsumer, OrderReferences, startIngress, type Ingress } from '@paystream/runtime';
import { coreConfigFromSimulator } from '@paystream/worker';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let reader: Consumer;
let sim: Simulator;
let core: CoreServices;
let consumer: KeyOrderedConsumer;
let ingress: Ingress;
const dir = mkdtempSync(join(tmpdir(), 'paystream-ingress-'));
const commands = uniqueTopic('paystream.commands.gopay');
const cardCommands = uniqueTopic('paystream.commands.card-3ds');
const results = uniqueTopic('paystream.results');
const ordersTopic = uniqueTopic('paystream.orders.state');
const events: ResultEvent[] = [];
const ingressLog: { path: string; outcome: string }[] = [];

beforeAll(async () => {
  kafka = testKafka(inject('kafkaBrokers'), 'ingress-test');
  admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [commands, `${commands}.dlq`, cardCommands, `${cardCommands}.dlq`, results], 2);
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  core = await createCore(parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), dir)), {
    logger: createLogger({ name: 'ingress', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() })),
    watchKeys: false,
  });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const orders = await OrderReferences.open(kafka, admin, producer, ordersTopic);
  const plugins = new Map([
    ['gopay', gopayPlugin],
    ['card-3ds', card3dsPlugin],
  ]);
  const dispatcher = new Dispatcher({
    plugins,
    midtrans: core.client,
    producer,
    orders,
    resultsTopic: results,
    commandTopic: (p) => (p.method === 'gopay' ? commands : cardCommands),
    crypto: { signer: core.eventSigner, cipher: core.fieldCipher, source: 'paystream/test' },
  });
  ingress = await startIngress({
    plugins,
    verifier: core.verifier,
    orders,
    updates: dispatcher.updates,
    onEvent: (e) => ingressLog.push(e),
  });
  sim.webhooks.config.snapBaseUrl = ingress.url;
  sim.webhooks.config.coreNotificationUrl = `${ingress.url}${CORE_NOTIFICATION_PATH}`;
  sim.webhooks.config.timeScale = 60_000;
  consumer = new KeyOrderedConsumer({
    kafka,
    groupId: uniqueTopic('workers'),
    topics: [commands, cardCommands],
    maxInFlight: 32,
    handle: (m) => dispatcher.handle(m),
  });
  await consumer.start();
  reader = kafka.consumer({ groupId: uniqueTopic('reader') });
  await reader.connect();
  await reader.subscribe({ topic: results, fromBeginning: true });
  await reader.run({
    eachMessage: ({ message }) => (events.push(JSON.parse(message.value?.toString() ?? '{}') as ResultEvent), Promise.resolve()),
  });
});
afterAll(async () => {
  await consumer.stop(5_000);
  await reader.disconnect();
  await ingress.close();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [commands, `${commands}.dlq`, cardCommands, `${cardCommands}.dlq`, results, ordersTopic] });
  await admin.disconnect();
  await core.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function charge(orderId: string): Promise<string> {
  const command = {
    commandId: randomUUID(),
    type: 'payment.charge',
    method: 'gopay',
    orderId,
    amount: { value: 99_000, currency: 'IDR' },
    details: {},
    requestedAt: new Date().toISOString(),
  };
  await producer.send({ topic: commands, acks: -1, messages: [{ key: orderId, value: JSON.stringify(command) }] });
  await expect.poll(() => events.some((e) => e.subject === orderId), { timeout: 90_000 }).toBe(true);
  return sim.store.find('debit', { partnerReferenceNo: orderId })?.referenceNo ?? '';
}

const customerPays = (ref: string): Promise<void> =>
  new Promise((done, fail) => {
    httpsRequest(`${sim.baseUrl}/pay/${ref}`, { method: 'POST', ca: sim.caCertPem }, (res) => res.resume().on('end', done))
      .on('error', fail)
      .end();
  });

describe('notification ingress', () => {
  it('publishes one verified succeeded per paid order, from the notification confirmed by status inquiry, even when delivered twice', async () => {
    sim.webhooks.config.duplicate = true;
    const orderId = `notified-${String(Date.now())}`;
    await customerPays(await charge(orderId));
    await expect
      .poll(() => events.filter((e) => e.subject === orderId && e.type === 'paystream.payment.succeeded').length, { timeout: 90_000 })
      .toBeGreaterThanOrEqual(1);
    await expect.poll(() => sim.webhooks.deliveries.filter((d) => d.status === 200).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const succeeded = events.filter((e) => e.subject === orderId && e.type === 'paystream.payment.succeeded');
    expect(new Set(succeeded.map((e) => e.id)).size).toBe(1);
    const first = succeeded[0];
    expect(first && verifyEvent(first, core.eventSigner.publicKeys()).valid).toBe(true);
    expect(first?.type === 'paystream.payment.succeeded' && first.data.verification).toBe('notification+inquiry');
    sim.webhooks.config.duplicate = false;
  });

  it('refuses a mis-signed notification with 401 and publishes nothing for it', async () => {
    sim.webhooks.config.wrongSignature = true;
    const orderId = `forged-${String(Date.now())}`;
    await customerPays(await charge(orderId));
    await expect.poll(() => sim.webhooks.deliveries.filter((d) => d.status === 401).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(events.filter((e) => e.subject === orderId).map((e) => e.type)).toEqual(['paystream.payment.action_required']);
    expect(ingressLog.some((l) => l.outcome.startsWith('rejected'))).toBe(true);
    sim.webhooks.config.wrongSignature = false;
  });

  it('takes a 3DS card charge to succeeded through the Core API notification and its signature_key', async () => {
    const orderId = `card-${String(Date.now())}`;
    const token = await new Promise<string>((done, fail) => {
      httpsRequest(
        `${sim.baseUrl}/v2/token?card_number=4811111111111114&card_exp_month=12&card_exp_year=2030&card_cvv=123`,
        { ca: sim.caCertPem },
        (res) => {
          const chunks: Buffer[] = [];
          res
            .on('data', (c: Buffer) => chunks.push(c))
            .on('end', () => done(String((JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>)['token_id'])));
        },
      )
        .on('error', fail)
        .end();
    });
    const command = {
      commandId: randomUUID(),
      type: 'payment.charge',
      method: 'card-3ds',
      orderId,
      amount: { value: 99_000, currency: 'IDR' },
      details: { tokenId: token },
      requestedAt: new Date().toISOString(),
    };
    await producer.send({ topic: cardCommands, acks: -1, messages: [{ key: orderId, value: JSON.stringify(command) }] });
    await expect.poll(() => events.find((e) => e.subject === orderId)?.type, { timeout: 90_000 }).toBe('paystream.payment.action_required');
    const action = events.find((e) => e.subject === orderId);
    const url = action?.type === 'paystream.payment.action_required' ? (action.data.action?.url ?? '') : '';
    await new Promise<void>((done, fail) => {
      httpsRequest(url, { method: 'POST', ca: sim.caCertPem, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) =>
        res.resume().on('end', done),
      )
        .on('error', fail)
        .end('otp=112233');
    });
    await expect
      .poll(() => events.find((e) => e.subject === orderId && e.type === 'paystream.payment.succeeded')?.type, { timeout: 90_000 })
      .toBe('paystream.payment.succeeded');
    const done = events.find((e) => e.subject === orderId && e.type === 'paystream.payment.succeeded');
    expect(done?.type === 'paystream.payment.succeeded' && done.data.customerAuthentication.factors).toEqual([
      'OTP/biometrics',
      'card knowledge',
    ]);
  });

  it('answers 413 for an oversized body without reading it all', async () => {
    const oversized = await fetch(`${ingress.url}/v1.0/debit/notify`, { method: 'POST', body: 'x'.repeat(70 * 1024) });
    expect(oversized.status).toBe(413);
  });
});
