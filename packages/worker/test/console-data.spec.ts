// The console's read API against the real broker: topics of a unique prefix holding an order's
// commands, signed (and one tampered) result events, DLQ records (one with a card number a hostile
// writer left unmasked), a notification handover, an audit event and the order state; the route
// handlers are called as the server calls them, with a user of each role.
import { randomUUID } from 'node:crypto';
import { canonicalEventBytes, DLQ_PAYLOAD_PATH } from '@paystream/contracts';
import { EventSigner, FieldCipher } from '@paystream/core';
import { ensureBroker, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import {
  auditEvent,
  auditTopic,
  createTopicsWithLeaders,
  keyHashPartitioner,
  orderStateTopic,
  partitionOfKey,
  topology,
} from '@paystream/runtime';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiAnswer, ApiRoute, Role } from '../src/console/api-route.ts';
import { OrderDirectory } from '../src/console/data/order-directory.ts';
import { consoleRoutes } from '../src/console/routes/index.ts';

const CARD = '4811111111111114';
const EMAIL = 'jane.doe@example.com';
const names = topology(`${uniqueTopic('console')}.`);
const ORDER = `order-${randomUUID().slice(0, 8)}`;
const GONE = `gone-${randomUUID().slice(0, 8)}`;
const COMMAND = randomUUID();
const REFS = {
  referenceNo: `R${randomUUID().slice(0, 8)}`,
  partnerReferenceNo: ORDER,
  transactionId: randomUUID(),
  vaNumber: '880812345678',
};
const { signer } = EventSigner.generate();
const cipher = new FieldCipher([Buffer.alloc(32, 3)]);
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let directory: OrderDirectory;
let routes: ApiRoute[];

const command = (orderId: string, commandId = randomUUID()): string =>
  JSON.stringify({
    commandId,
    type: 'payment.charge',
    method: 'gopay',
    orderId,
    amount: { value: 25_000, currency: 'IDR' },
    customer: { firstName: 'Jane', email: EMAIL, phone: '+6281234567890' },
    details: {},
    requestedAt: new Date().toISOString(),
  });

function result(status: string): Record<string, unknown> {
  const event = {
    specversion: '1.0',
    id: randomUUID(),
    source: 'paystream/test',
    type: `paystream.payment.${status}`,
    subject: ORDER,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    paystreamkid: signer.keyId,
    data: {
      orderId: ORDER,
      commandId: COMMAND,
      method: 'gopay',
      amount: { value: 25_000, currency: 'IDR' },
      status,
      midtrans: { referenceNo: REFS.referenceNo },
      verification: 'response',
      customerAuthentication: { description: 'GoPay PIN', factors: ['pin'] },
      customer: { email: cipher.encrypt('customer.email', EMAIL) },
    },
  };
  return { ...event, paystreamsig: signer.sign(canonicalEventBytes(event)).signature };
}

const dlq = (payload: string, code: string, offset: string): string =>
  JSON.stringify({
    code,
    message: 'refused for the test',
    originalTopic: names.commands('gopay'),
    originalPartition: 0,
    originalOffset: offset,
    attempts: 1,
    firstSeen: new Date().toISOString(),
    payload: cipher.encrypt(DLQ_PAYLOAD_PATH, payload),
    payloadBytes: payload.length,
  });

const state = {
  v: 2,
  status: 'succeeded',
  amount: 25_000,
  currency: 'IDR',
  method: 'gopay',
  chargeCommandId: COMMAND,
  references: REFS,
  commands: { [COMMAND.replace(/-/g, '')]: 'fp' },
};

async function send(topic: string, key: string, value: string | null, partition?: number): Promise<void> {
  await producer.send({ topic, acks: -1, messages: [{ key, value, ...(partition === undefined ? {} : { partition }) }] });
}

async function call(path: string, role: Role = 'viewer'): Promise<ApiAnswer> {
  const url = new URL(path, 'https://console.test');
  for (const route of routes) {
    const pattern = new RegExp(`^${route.path.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`);
    const m = pattern.exec(url.pathname);
    if (!m) continue;
    const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    return route.handle({ user: { id: role, name: role, role }, params, query: url.searchParams, body: undefined });
  }
  throw new Error(`no route for ${path}`);
}

beforeAll(async () => {
  kafka = testKafka((await ensureBroker()).brokers, 'console-data-test');
  admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [
    { topic: names.commands('gopay'), numPartitions: 3 },
    { topic: names.commands('qris'), numPartitions: 2 },
    { topic: names.dlq('gopay'), numPartitions: 2 },
    { topic: names.dlq('qris'), numPartitions: 1 },
    { topic: names.results, numPartitions: 3 },
    { topic: names.notifications, numPartitions: 3 },
    orderStateTopic(names.orderState),
    auditTopic(names.audit),
  ]);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: keyHashPartitioner });
  await producer.connect();
  await send(names.commands('gopay'), ORDER, command(ORDER, COMMAND));
  await send(names.commands('gopay'), `other-${ORDER}`, command(`other-${ORDER}`));
  const good = result('succeeded');
  await send(names.results, ORDER, JSON.stringify(good));
  await send(names.results, ORDER, JSON.stringify({ ...good, id: randomUUID(), type: 'paystream.payment.refunded' }));
  await send(
    names.dlq('gopay'),
    ORDER,
    dlq(`{"orderId":"${ORDER}","customer":{"email":"${EMAIL}"},"details":{"note":"${CARD}"}}`, 'PS_ERR_COMMAND_CARD_DATA', '7'),
  );
  for (const i of [1, 2, 3]) await send(names.dlq('qris'), `q-${String(i)}`, dlq('{}', 'PS_ERR_COMMAND_INVALID_DETAILS', String(i)));
  const notificationPartition = partitionOfKey(ORDER, 3);
  await send(
    names.notifications,
    REFS.referenceNo,
    JSON.stringify({ v: 1, path: '/v1.0/debit/notify', body: { originalReferenceNo: REFS.referenceNo, latestTransactionStatus: '00' } }),
    notificationPartition,
  );
  const audit = auditEvent(
    { action: 'events_republished', target: { orderId: ORDER }, outcome: 'done', detail: 'republished 1 event' },
    { id: 'ops@example', via: 'cli' },
    signer,
  );
  await send(names.audit, ORDER, JSON.stringify(audit));
  await send(names.orderState, ORDER, JSON.stringify(state));
  await send(
    names.orderState,
    GONE,
    JSON.stringify({ ...state, chargeCommandId: randomUUID(), references: { referenceNo: `G-${GONE}` }, commands: {} }),
  );
  await send(names.orderState, GONE, null);
  directory = await OrderDirectory.start({ kafka, admin, topic: names.orderState });
  routes = consoleRoutes({ kafka, admin, topology: names, methods: ['gopay', 'qris'], eventKeys: signer.publicKeys(), cipher, directory });
});

afterAll(async () => {
  await directory.close();
  await producer.disconnect();
  await admin.disconnect();
});

const text = (a: ApiAnswer): string => JSON.stringify(a.body);

describe('the console read API', () => {
  it('finds the order by its order id, command id and every Midtrans reference, and not an order retired', async () => {
    for (const q of [ORDER, COMMAND, REFS.referenceNo, REFS.transactionId, REFS.vaNumber]) {
      const answer = await call(`/api/orders?q=${encodeURIComponent(q)}`);
      expect(answer.status, q).toBe(200);
      expect(
        (answer.body as { orders: { orderId: string }[] }).orders.map((o) => o.orderId),
        q,
      ).toEqual([ORDER]);
    }
    expect((await call(`/api/orders?q=${GONE}`)).body).toMatchObject({ orders: [] });
    expect((await call('/api/orders?q=')).status).toBe(400);
  });

  it("shows the order's timeline in order, results verified, nothing personal in clear", async () => {
    const answer = await call(`/api/orders/${ORDER}`);
    expect(answer.status).toBe(200);
    const entries = (answer.body as { entries: { kind: string; at: string; verified?: boolean; type?: string }[] }).entries;
    expect(entries.map((e) => e.kind).sort()).toEqual(['audit', 'command', 'dlq', 'notification', 'result', 'result']);
    expect(entries.map((e) => e.at)).toEqual(entries.map((e) => e.at).sort());
    const results = entries.filter((e) => e.kind === 'result').map((e) => [e.type, e.verified]);
    expect(results).toEqual([
      ['paystream.payment.succeeded', true],
      ['paystream.payment.refunded', false],
    ]);
    expect(entries.find((e) => e.kind === 'audit')?.verified).toBe(true);
    for (const secret of [CARD, EMAIL, '81234567890']) expect(text(answer)).not.toContain(secret);
    expect((await call(`/api/orders/unknown-${ORDER}`)).status).toBe(404);
  });

  it('lists DLQ records without payloads, filtered and limited', async () => {
    const all = (await call('/api/dlq')).body as { records: { method: string; code: string }[] };
    expect(all.records.map((r) => r.method).sort()).toEqual(['gopay', 'qris', 'qris', 'qris']);
    expect(JSON.stringify(all)).not.toContain('"payload"');
    expect(((await call('/api/dlq?method=qris&limit=2')).body as { records: unknown[] }).records).toHaveLength(2);
    const byCode = (await call('/api/dlq?code=PS_ERR_COMMAND_CARD_DATA')).body as { records: { method: string }[] };
    expect(byCode.records.map((r) => r.method)).toEqual(['gopay']);
    expect((await call('/api/dlq?limit=501')).status).toBe(400);
    expect((await call('/api/dlq?method=evil')).status).toBe(400);
  });

  it("shows a DLQ record's payload only to an operator or above, decrypted and masked", async () => {
    const at = `/api/dlq/gopay/${String(partitionOfKey(ORDER, 2))}/0`;
    expect((await call(at, 'viewer')).body).toMatchObject({ payload: null, payloadHidden: true, code: 'PS_ERR_COMMAND_CARD_DATA' });
    const operator = await call(at, 'operator');
    expect(operator.body).toMatchObject({ payloadHidden: false, payload: { orderId: ORDER, customer: { email: 'j***@example.com' } } });
    for (const secret of [CARD, EMAIL]) expect(text(operator)).not.toContain(secret);
    expect((await call('/api/dlq/gopay/0/99', 'operator')).status).toBe(404);
  });

  it('lists the audit trail verified, and an overview from Kafka alone', async () => {
    const audit = (await call('/api/audit?limit=5')).body as { events: { verified: boolean; action: string }[] };
    expect(audit.events).toMatchObject([{ verified: true, action: 'events_republished' }]);
    const overview = (await call('/api/overview')).body as {
      methods: { method: string; commands: { lag: number } | null; dlqRecords: number | null }[];
      resultsLastHour: { total: number; byType: Record<string, number> };
    };
    expect(overview.methods).toMatchObject([
      { method: 'gopay', commands: { lag: 2 }, dlqRecords: 1 },
      { method: 'qris', commands: { lag: 0 }, dlqRecords: 3 },
    ]);
    expect(overview.resultsLastHour.total).toBe(2);
    expect(overview.resultsLastHour.byType).toMatchObject({ 'paystream.payment.succeeded': 1, 'paystream.payment.refunded': 1 });
  });
});
