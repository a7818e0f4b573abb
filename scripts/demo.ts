// `npm start`: the local demo. A real Kafka broker from Maven Central jars, the Midtrans simulator
// over HTTPS with a per-run CA, and the Paystream worker taking payment commands from Kafka through
// its plugins to Midtrans and back as signed result events, while simulated customers pay. Virtual
// accounts go through Paystream's core directly until their plugin exists. The broker keeps running
// afterwards; the simulator and the worker stop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { topics, verifyEvent, type ResultEvent } from '@paystream/contracts';
import { createCore, createLogger, parseCoreConfig, type CoreServices, type Logger, type MidtransOutcome } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { CORE_NOTIFICATION_PATH } from '@paystream/runtime';
import { coreConfigFromSimulator, runWorker } from '@paystream/worker';
import { optionsFromEnv, start, status } from '../infra/kafka/src/broker.ts';
import { notificationReceiver, type Notification, type NotificationReceiver } from '../test/e2e/receiver.ts';

interface Row {
  method: string;
  order: string;
  charge: string;
  customer: string;
  notification: string;
  final: string;
}

const step = (text: string): void => console.log(`\n▸ ${text}`);

async function startKafka(): Promise<string> {
  const kafka = optionsFromEnv();
  step('Kafka (first run resolves the jars from Maven Central)');
  const began = Date.now();
  const started = await start(kafka);
  const s = await status(kafka);
  console.log(`  ${started ? 'started' : 'already running'} on ${s.brokers} (pid ${String(s.pid)}) in ${((Date.now() - began) / 1000).toFixed(1)} s; data in ${kafka.home}/data`);
  return s.brokers;
}

/** What a shop's front end does with Midtrans' JS: turn the sandbox test card into a token. */
async function cardToken(sim: Simulator): Promise<string> {
  const { request } = await import('node:https');
  const query = `card_number=4811111111111114&card_exp_month=12&card_exp_year=2030&card_cvv=123&client_key=${sim.credentials.clientKey}`;
  return new Promise((done, fail) => {
    request(`${sim.baseUrl}/v2/token?${query}`, { ca: sim.caCertPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(text((JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)['token_id'])));
    })
      .on('error', fail)
      .end();
  });
}

/** The customer authorises: in the e-wallet, or by entering the OTP on the 3DS page. */
async function customerPays(sim: Simulator, url: string): Promise<string> {
  const { request } = await import('node:https');
  const otp = url.includes('/3ds/') ? 'otp=112233' : '';
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', ca: sim.caCertPem, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(/id="result">([^<]*)/.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? `HTTP ${String(res.statusCode)}`));
    });
    req.on('error', fail);
    req.end(otp);
  });
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function code(o: MidtransOutcome): string {
  return o.responseCode?.raw ?? o.statusCode ?? String(o.httpStatus);
}

async function oneVirtualAccount(core: CoreServices, sim: Simulator, rx: NotificationReceiver): Promise<Row> {
  const trxId = `demo-va-${Date.now().toString(36)}`;
  const va = { partnerServiceId: '   70012', customerNo: String(Date.now()).slice(-10), virtualAccountNo: '' };
  va.virtualAccountNo = va.partnerServiceId + va.customerNo;
  const charge = await core.client.snap({ path: '/v1.0/transfer-va/create-va', externalId: trxId, body: { ...va, virtualAccountName: 'Siti', trxId, totalAmount: { value: '310000.00', currency: 'IDR' }, additionalInfo: { bank: 'bca', merchantId: sim.credentials.merchantId } } });
  const tx = sim.store.find('va', { partnerReferenceNo: trxId });
  const customer = await customerPays(sim, `${sim.baseUrl}/pay/${tx?.referenceNo ?? ''}`);
  const note: Notification = await Promise.race([
    rx.next((n) => n.raw.includes(trxId)),
    new Promise<never>((_, fail) => setTimeout(() => fail(new Error('no notification for the virtual account within 30 s')), 30_000).unref()),
  ]);
  const verdict = core.verifier.verifySnap({ method: 'POST', path: note.path, timestamp: note.headers['x-timestamp'], signature: note.headers['x-signature'], rawBody: Buffer.from(note.raw) });
  const inquiry = await core.client.snap({ path: '/v1.0/transfer-va/status', externalId: `${trxId}-s`, body: { ...va, inquiryRequestId: trxId, additionalInfo: { merchantId: sim.credentials.merchantId } } });
  const data = inquiry.body['virtualAccountData'] as Record<string, unknown> | undefined;
  return { method: 'VA (BCA)', order: trxId, charge: code(charge), customer, notification: verdict.valid ? `verified (${verdict.keyId})` : `REJECTED: ${verdict.reason}`, final: `paymentFlagStatus ${text(data?.['paymentFlagStatus'])}` };
}

function table(rows: Row[], titles: readonly string[]): void {
  const cols: (keyof Row)[] = ['method', 'order', 'charge', 'customer', 'notification', 'final'];
  const head = Object.fromEntries(cols.map((c, i) => [c, titles[i] ?? c])) as Record<keyof Row, string>;
  const width = (c: keyof Row) => Math.max(head[c].length, ...rows.map((r) => r[c].length));
  const line = (r: Record<keyof Row, string>) => cols.map((c) => r[c].padEnd(width(c))).join('  ');
  console.log(`\n${line(head)}`);
  console.log(cols.map((c) => '─'.repeat(width(c))).join('  '));
  for (const r of rows) console.log(line(r));
}

async function throughKafka(brokers: string, sim: Simulator, config: ReturnType<typeof parseCoreConfig>, quiet: Logger): Promise<Row[]> {
  step('The worker: commands on Kafka → plugins → Midtrans; customers pay; Midtrans notifies the ingress → status inquiry → signed events');
  const worker = await runWorker({ core: config, brokers: [brokers], logger: quiet, partitions: 3 });
  // Midtrans' notifications for these payments go to the worker's ingress.
  sim.webhooks.config.snapBaseUrl = worker.ingressUrl;
  sim.webhooks.config.coreNotificationUrl = `${worker.ingressUrl}${CORE_NOTIFICATION_PATH}`;
  const kafka = new Kafka({ clientId: 'paystream-demo', brokers: [brokers], logLevel: logLevel.NOTHING });
  const events: ResultEvent[] = [];
  const reader = kafka.consumer({ groupId: `paystream-demo-${Date.now().toString(36)}` });
  await reader.connect();
  await reader.subscribe({ topic: topics.results, fromBeginning: false });
  const joined = new Promise<void>((r) => reader.on(reader.events.GROUP_JOIN, () => r()));
  await reader.run({ eachMessage: ({ message }) => (events.push(JSON.parse(message.value?.toString() ?? '{}') as ResultEvent), Promise.resolve()) });
  await joined;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const send = async (method: string, orderId: string, type: string): Promise<void> => {
    // A card arrives as a Midtrans token made by the shop's front end, never as card data.
    const details = method === 'card-3ds' ? { tokenId: await cardToken(sim) } : {};
    const command = { commandId: randomUUID(), type, method, orderId, amount: { value: 125_000, currency: 'IDR' }, details, requestedAt: new Date().toISOString() };
    await producer.send({ topic: topics.commands(method), acks: -1, messages: [{ key: orderId, value: JSON.stringify(command) }] });
  };
  const waitFor = async (orderId: string, type: string): Promise<ResultEvent> => {
    for (let i = 0; i < 300; i++) {
      const hit = events.find((e) => e.subject === orderId && e.type === type);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no ${type} event for ${orderId}; deliveries: ${JSON.stringify(sim.webhooks.deliveries.slice(-3))}`);
  };
  const rows: Row[] = [];
  try {
    for (const method of worker.plugins) {
      const order = `demo-${method}-${Date.now().toString(36)}`;
      await send(method, order, 'payment.charge');
      const action = await waitFor(order, 'paystream.payment.action_required');
      if (action.type === 'paystream.command.rejected') throw new Error(`${method} charge was rejected: ${action.data.message}`);
      // A QR is scanned rather than opened: the simulated customer goes to the transaction's page.
      const url = action.data.action?.url ?? `${sim.baseUrl}/pay/${action.data.midtrans['referenceNo'] ?? ''}`;
      const customer = await customerPays(sim, url);
      const done = await waitFor(order, 'paystream.payment.succeeded');
      const verdict = verifyEvent(done, worker.publicKeys());
      const how = done.type === 'paystream.command.rejected' ? '' : ` (${done.data.verification})`;
      rows.push({ method, order, charge: `action_required (${action.data.action?.kind ?? '?'})`, customer, notification: verdict.valid ? `ok (${verdict.keyId})` : 'EVENT SIGNATURE BAD', final: `${done.type.replace('paystream.payment.', '')}${how}` });
    }
  } finally {
    await producer.disconnect();
    await reader.disconnect();
    await worker.stop(5_000);
  }
  return rows;
}

async function main(): Promise<void> {
  const brokers = await startKafka();
  const dir = mkdtempSync(join(tmpdir(), 'paystream-demo-'));
  const rx = await notificationReceiver();
  step('Midtrans simulator (HTTPS, per-run CA, TLS 1.3 / TLS 1.2-GCM)');
  const sim = await startSimulator({ webhooks: { snapBaseUrl: rx.url, timeScale: 600 } });
  writeDescriptor(sim, join(dir, 'sim.json'));
  console.log(`  listening on ${sim.baseUrl}; notifications to ${rx.url}`);
  const quiet = createLogger({ name: 'demo', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() }));
  const config = parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), dir));
  try {
    const viaKafka = await throughKafka(brokers, sim, config, quiet);
    sim.webhooks.config.snapBaseUrl = rx.url;
    table(viaKafka, ['method', 'order', 'first event', 'customer', 'event signature', 'final event (how it was verified)']);
    const core = await createCore(config, { logger: quiet, watchKeys: false });
    try {
      step('A virtual account through Paystream core (its plugin comes next): charge → customer pays → signed notification verified → status inquiry');
      table([await oneVirtualAccount(core, sim, rx)], ['method', 'order', 'charge', 'customer', 'notification', 'status inquiry']);
    } finally {
      await core.close();
    }
    const charges = sim.store.ledger.filter((e) => e.event === 'charge').length;
    console.log(`\nSimulator ledger: ${String(sim.store.ledger.length)} entries, ${String(charges)} charges for ${String(charges)} orders — none charged twice.`);
  } finally {
    await sim.close();
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nStill running: Kafka on ${brokers} (npm run kafka:status; stop it with npm run kafka:stop).`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `paystream demo: ${err.message}` : err);
  process.exit(1);
});
