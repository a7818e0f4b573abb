// One worker run as production composes it, logging at trace level into memory, through everything
// that handles secrets: good GoPay and 3-D Secure card payments confirmed by signed notifications,
// poison commands carrying card numbers, forged notifications, and a credential revocation that the
// worker rides out. Then every log line, DLQ record, result event, order-state record and operations
// answer of the run, and every span it exported over OTLP, is scanned for every secret the run held:
// zero findings.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { DlqRecord, dlqPayload } from '@paystream/contracts';
import { aesKeyId } from '@paystream/core';
import { Writable } from 'node:stream';
import type {} from '@paystream/kafka-broker/global-setup';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import { TEST_CARDS } from '@paystream/midtrans-sim';
import { CORE_NOTIFICATION_PATH } from '@paystream/runtime';
import type { Consumer, IHeaders } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTracing, type Tracing } from '@paystream/worker';
import { startWorkerFixture, secretsOf, type WorkerFixture } from '../fixtures/worker.ts';
import { IngressClient, signCore } from '../properties/notary.ts';
import { describeFindings, secretScanner } from '../src/secret-scan.ts';
import { SpanSink } from './span-sink.ts';

const POISON_CARD = '4111111111111111';
const lines: string[] = [];
const records = new Map<string, { value: string; headers: string }[]>();
let f: WorkerFixture;
let reader: Consumer;
let ingress: IngressClient;
let spans: SpanSink;
let tracing: Tracing;

const headersText = (h: IHeaders | undefined): string =>
  JSON.stringify(Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, String(v)])));
const seen = (topic: string): { value: string; headers: string }[] => records.get(topic) ?? [];
const events = (): Record<string, unknown>[] => seen(f.names.results).map((r) => JSON.parse(r.value) as Record<string, unknown>);
const eventTypes = (orderId: string): unknown[] =>
  events()
    .filter((e) => e['subject'] === orderId)
    .map((e) => e['type']);

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  // Traced as a worker with a collector is: the spans of the whole run are scanned too.
  spans = await SpanSink.start();
  tracing = startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: spans.url });
  f = await startWorkerFixture({ brokers: inject('kafkaBrokers'), plugins: ['gopay', 'card-3ds'], logTo: sink, logLevel: 'trace' });
  ingress = new IngressClient(f.worker.ingressUrl, f.pki.caPem);
  reader = f.kafka.consumer({ groupId: uniqueTopic('leak-reader') });
  await reader.connect();
  await reader.subscribe({
    topics: [f.names.results, f.names.dlq('gopay'), f.names.dlq('card-3ds'), f.names.orderState],
    fromBeginning: true,
  });
  await reader.run({
    eachMessage: ({ topic, message }) => {
      records.set(topic, [...seen(topic), { value: message.value?.toString('utf8') ?? '', headers: headersText(message.headers) }]);
      return Promise.resolve();
    },
  });
});
afterAll(async () => {
  ingress.close();
  await reader.disconnect();
  await f.stop();
  await tracing.shutdown();
  await spans.close();
});

function https(url: string, method: string, body?: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = request(
      url,
      { method, ca: [f.sim.caCertPem, f.pki.caPem], headers: body === undefined ? {} : { 'content-type': contentType } },
      (res) => {
        const chunks: Buffer[] = [];
        res
          .on('data', (c: Buffer) => chunks.push(c))
          .on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

const command = (method: string, orderId: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  commandId: randomUUID(),
  type: 'payment.charge',
  method,
  orderId,
  amount: { value: 150_000, currency: 'IDR' },
  customer: { phone: '+6281234567890', email: 'ani@example.com' },
  details: {},
  requestedAt: new Date().toISOString(),
  ...extra,
});

async function gopayPaid(orderId: string): Promise<void> {
  await f.publish('gopay', orderId, command('gopay', orderId));
  await expect.poll(() => eventTypes(orderId), { timeout: 30_000 }).toContain('paystream.payment.action_required');
  expect((await https(`${f.sim.adminUrl}/pay`, 'POST', JSON.stringify({ orderId }))).status).toBe(200);
}

async function cardPaid(orderId: string, card: string): Promise<void> {
  const query = `card_number=${card}&card_exp_month=12&card_exp_year=2030&card_cvv=123&client_key=${f.sim.credentials.clientKey}`;
  const token = (JSON.parse((await https(`${f.sim.baseUrl}/v2/token?${query}`, 'GET')).text) as { token_id: string }).token_id;
  await f.publish('card-3ds', orderId, command('card-3ds', orderId, { details: { tokenId: token } }));
  await expect.poll(() => eventTypes(orderId), { timeout: 30_000 }).toContain('paystream.payment.action_required');
  const action = events().find((e) => e['subject'] === orderId) as { data: { action?: { url: string } } };
  await https(action.data.action?.url ?? '', 'POST', 'otp=112233', 'application/x-www-form-urlencoded');
}

describe('a whole worker run leaks no secret', () => {
  it('scans every log line, DLQ record, event, order-state record, operations answer and span export for every secret of the run', async () => {
    const tag = randomUUID().slice(0, 8);
    // Good payments, confirmed by signed notifications through the TLS ingress.
    const paid = [`leak-gopay-a-${tag}`, `leak-gopay-b-${tag}`];
    for (const o of paid) await gopayPaid(o);
    await cardPaid(`leak-card-${tag}`, '4811111111111114');
    for (const o of [...paid, `leak-card-${tag}`])
      await expect.poll(() => eventTypes(o), { timeout: 30_000 }).toContain('paystream.payment.succeeded');

    // Poison commands carrying card numbers, as a careless upstream would send them.
    const poison: [string, string, unknown][] = [
      ['gopay', `leak-p1-${tag}`, command('gopay', `leak-p1-${tag}`, { details: { note: `card ${POISON_CARD}` } })],
      ['gopay', `leak-p2-${tag}`, command('gopay', `leak-p2-${tag}`, { customer: { firstName: '4811 1111 1111 1114' } })],
      ['gopay', `leak-p3-${tag}`, command('gopay', `leak-p3-${tag}`, { details: { cards: [{ number: '5211-1111-1111-1117' }] } })],
      ['gopay', `leak-p4-${tag}`, command('gopay', `leak-p4-${tag}`, { details: { '4911111111111113': 'as a key' } })],
      ['card-3ds', `leak-p5-${tag}`, command('card-3ds', `leak-p5-${tag}`, { details: { tokenId: '4611111111111116' } })],
      ['card-3ds', `leak-p6-${tag}`, `{"orderId":"leak-p6-${tag}","card":"4711111111111115"`],
    ];
    for (const [method, orderId, body] of poison) await f.publish(method, orderId, body);
    const dlqCount = (): number => seen(f.names.dlq('gopay')).length + seen(f.names.dlq('card-3ds')).length;
    await expect.poll(dlqCount, { timeout: 30_000 }).toBe(poison.length);

    // Forged notifications: mis-signed by "Midtrans", unsigned, and a Core API signature_key made with a guessed key.
    f.sim.webhooks.config.wrongSignature = true;
    await gopayPaid(`leak-forged-${tag}`);
    await expect
      .poll(() => f.sim.webhooks.deliveries.filter((d) => d.status === 401).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);
    f.sim.webhooks.config.wrongSignature = false;
    expect(
      await ingress.post({
        path: '/v1.0/debit/notify',
        body: JSON.stringify({ originalPartnerReferenceNo: paid[0], latestTransactionStatus: '00' }),
      }),
    ).toBe(401);
    const guessed = signCore('not-the-server-key', {
      order_id: `leak-card-${tag}`,
      status_code: '200',
      gross_amount: '150000.00',
      transaction_status: 'settlement',
      masked_card: '4811111111111114',
    });
    expect(await ingress.post({ path: CORE_NOTIFICATION_PATH, body: JSON.stringify(guessed) })).toBe(401);

    // Credential revocation: Midtrans refuses the credentials for a while; the worker retries and then charges.
    const revokedOrder = `leak-revoked-${tag}`;
    const refusedBefore = f.sim.requests.filter((r) => r.path === '/v1.0/access-token/b2b' && r.status === 401).length;
    expect((await https(`${f.sim.adminUrl}/revoke`, 'POST', '{}')).status).toBe(200);
    await f.publish('gopay', revokedOrder, command('gopay', revokedOrder));
    await expect
      .poll(() => f.sim.requests.filter((r) => r.path === '/v1.0/access-token/b2b' && r.status === 401).length, { timeout: 30_000 })
      .toBeGreaterThan(refusedBefore);
    expect((await https(`${f.sim.adminUrl}/reinstate`, 'POST', '{}')).status).toBe(200);
    await expect.poll(() => eventTypes(revokedOrder), { timeout: 60_000 }).toContain('paystream.payment.action_required');

    // What the operations endpoints say about the run.
    const ops = await Promise.all(
      ['/metrics', '/healthz', '/readyz'].map(async (p) => (await fetch(`${f.worker.operationsUrl}${p}`)).text()),
    );
    await expect.poll(() => seen(f.names.orderState).some((r) => r.value.includes(revokedOrder)), { timeout: 30_000 }).toBe(true);
    const secrets = secretsOf(f);
    // DLQ payloads are encrypted: what an operator holding the key reads is scanned as well.
    const keys = new Map(
      f.config.events.encryptionKeyFiles
        .map((file) => Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'))
        .map((k) => [aesKeyId(k), k]),
    );
    await reader.disconnect();
    await f.stop();
    await tracing.shutdown();

    const scanner = secretScanner({ ...secrets, cardNumbers: [...Object.keys(TEST_CARDS), POISON_CARD] });
    const payloads = [f.names.dlq('gopay'), f.names.dlq('card-3ds')].flatMap((topic) =>
      seen(topic).map((r, i): [string, string] => [
        `${topic} #${String(i)} payload`,
        dlqPayload(DlqRecord.parse(JSON.parse(r.value)), keys),
      ]),
    );
    expect(payloads).toHaveLength(poison.length);
    const sources: [string, string][] = [
      ...lines.map((l, i): [string, string] => [`log line ${String(i + 1)}`, l]),
      ...payloads,
      ...[...records].flatMap(([topic, rs]) => rs.map((r, i): [string, string] => [`${topic} #${String(i)}`, `${r.value}\n${r.headers}`])),
      ...ops.map((o, i): [string, string] => [`operations answer ${String(i)}`, o]),
      ...spans.bodies.map((b, i): [string, string] => [`span export ${String(i + 1)}`, b]),
    ];
    const findings = sources.flatMap(([where, text]) => describeFindings(scanner.scan(text), where));
    expect(findings).toEqual([]);

    // The scan had something to find: the run did hold these secrets and produced this output.
    expect(f.accessTokens.size).toBeGreaterThanOrEqual(2);
    expect(Object.keys(secrets.values)).toEqual(
      expect.arrayContaining(['clientSecret', 'serverKey', 'access token 1', 'event encryption key 1']),
    );
    expect(secrets.privateKeys.length).toBeGreaterThanOrEqual(4);
    // Trace level really was on: Midtrans requests were logged with their headers and bodies.
    expect(lines.filter((l) => l.includes('"level":10') && l.includes('"msg":"midtrans request"')).length).toBeGreaterThanOrEqual(5);
    expect(seen(f.names.orderState).length).toBeGreaterThan(0);
    expect(spans.bodies.join('')).toContain('"name":"POST /v1.0/debit/payment-host-to-host"');
    for (const [name, value] of Object.entries(secrets.values))
      expect(scanner.scan(`${lines.join('')} ${value}`).length, name).toBeGreaterThan(0);
    for (const pem of secrets.privateKeys) expect(scanner.scan(pem.replace(/-----[A-Z ]+-----/g, '')).length).toBeGreaterThan(0);
    expect(scanner.scan(lines.join('') + POISON_CARD.replace(/(\d{4})/g, '$1 ')).length).toBeGreaterThan(0);
  });
});
