// `npm start`: the local demo. A real Kafka broker from Maven Central jars, the Midtrans simulator
// over HTTPS with a per-run CA, and the Paystream worker taking one payment command per method from
// Kafka through its plugin to Midtrans; each simulated customer completes the payment the way that
// method's customer does, Midtrans notifies the worker's ingress, and the worker publishes the
// verified outcome. The terminal shows each result event as it arrives and a final table. The broker
// keeps running afterwards; Ctrl-C stops the worker and the simulator at any moment.
import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { verifyEvent, type PaymentEvent, type ResultEvent } from '@paystream/contracts';
import { createLogger, parseCoreConfig } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { CORE_NOTIFICATION_PATH, topology } from '@paystream/runtime';
import { coreConfigFromSimulator, runWorker, type RunningWorker } from '@paystream/worker';
import { optionsFromEnv, start, status } from '../infra/kafka/src/broker.ts';

const names = topology();
const step = (text: string): void => console.log(`\n▸ ${text}`);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** HTTPS to the simulator, trusting its per-run CA as the worker does. */
function post(sim: Simulator, url: string, body: string, contentType: string): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', ca: sim.caCertPem, headers: { 'content-type': contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** What a shop's front end does with Midtrans' JS: turn the sandbox test card into a token. */
function cardToken(sim: Simulator): Promise<string> {
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

/** The customer completes the payment as that method's customer would. */
async function customerCompletes(sim: Simulator, event: PaymentEvent): Promise<string> {
  const action = event.data.action;
  switch (action?.kind) {
    case 'deeplink':
    case 'redirect':
    case 'three_ds': {
      // The e-wallet's authorisation page, or the issuer's 3DS page where the OTP is entered.
      const page = await post(
        sim,
        action.url ?? '',
        action.kind === 'three_ds' ? 'otp=112233' : 'decision=authorise',
        'application/x-www-form-urlencoded',
      );
      return /id="result">([^<]*)/.exec(page.text)?.[1] ?? `HTTP ${String(page.status)}`;
    }
    case 'qr': {
      const paid = await post(sim, `${sim.adminUrl}/pay`, JSON.stringify({ qrContent: action.qrString }), 'application/json');
      return paid.status === 200 ? 'scanned the QR and paid in an e-wallet' : `HTTP ${String(paid.status)}`;
    }
    case 'payment_code': {
      // At the store's counter the cashier enters the code the customer shows, and the customer pays cash.
      const paid = await post(sim, `${sim.adminUrl}/pay`, JSON.stringify({ paymentCode: action.paymentCode }), 'application/json');
      return paid.status === 200 ? `paid code ${action.paymentCode} at the ${action.store} counter` : `HTTP ${String(paid.status)}`;
    }
    case 'virtual_account': {
      const paid = await post(sim, `${sim.adminUrl}/pay`, JSON.stringify({ vaNumber: action.vaNumber }), 'application/json');
      return paid.status === 200
        ? `transferred to ${action.bank?.toUpperCase() ?? ''} VA ${action.vaNumber ?? ''}`
        : `HTTP ${String(paid.status)}`;
    }
    default:
      return 'nothing to do';
  }
}

async function detailsFor(method: string, sim: Simulator): Promise<Record<string, unknown>> {
  // A card arrives as a Midtrans token made by the shop's front end, never as card data.
  if (method === 'card-3ds') return { tokenId: await cardToken(sim) };
  if (method === 'va') return { bank: 'bca', customerName: 'Siti Rahayu' };
  if (method === 'cstore') return { store: 'indomaret' };
  if (method === 'pay-later') return { provider: 'kredivo' };
  return {};
}

interface Row {
  method: string;
  order: string;
  first: string;
  customer: string;
  final: string;
  signature: string;
}

function table(rows: Row[]): void {
  const titles: Record<keyof Row, string> = {
    method: 'method',
    order: 'order',
    first: 'first event',
    customer: 'the customer',
    final: 'final event (how it was verified)',
    signature: 'event signature',
  };
  const cols = Object.keys(titles) as (keyof Row)[];
  const width = (c: keyof Row) => Math.max(titles[c].length, ...rows.map((r) => r[c].length));
  const line = (r: Record<keyof Row, string>) => cols.map((c) => r[c].padEnd(width(c))).join('  ');
  console.log(`\n${line(titles)}`);
  console.log(cols.map((c) => '─'.repeat(width(c))).join('  '));
  for (const r of rows) console.log(line(r));
}

/** Everything the demo started, stopped in reverse on the way out or on Ctrl-C. */
const running: (() => Promise<unknown>)[] = [];
async function shutdown(): Promise<void> {
  for (const stop of running.splice(0).reverse()) await stop().catch(() => undefined);
}

async function main(): Promise<void> {
  const kafkaOptions = optionsFromEnv();
  step('Kafka (the first run resolves the broker jars from Maven Central)');
  const began = Date.now();
  const started = await start(kafkaOptions);
  const broker = await status(kafkaOptions);
  console.log(
    `  ${started ? 'started' : 'already running'} on ${broker.brokers} (pid ${String(broker.pid)}) in ${((Date.now() - began) / 1000).toFixed(1)} s; data in ${kafkaOptions.home}/data`,
  );

  step('Midtrans simulator (HTTPS, per-run CA, TLS 1.3 / TLS 1.2-GCM)');
  const sim = await startSimulator({ webhooks: { timeScale: 600 } });
  running.push(() => sim.close());
  const dir = mkdtempSync(join(tmpdir(), 'paystream-demo-'));
  running.push(() => {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  });
  writeDescriptor(sim, join(dir, 'sim.json'));
  console.log(`  listening on ${sim.baseUrl}`);

  step('The Paystream worker: one consumer group per plugin, the notification ingress, /healthz /readyz /metrics');
  const quiet = createLogger({ name: 'demo', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() }));
  const worker: RunningWorker = await runWorker({
    core: parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), dir)),
    brokers: [broker.brokers],
    logger: quiet,
    partitions: 3,
  });
  running.push(() => worker.stop(5_000));
  // Midtrans' notifications for these payments go to the worker's ingress.
  sim.webhooks.config.snapBaseUrl = worker.ingressUrl;
  sim.webhooks.config.coreNotificationUrl = `${worker.ingressUrl}${CORE_NOTIFICATION_PATH}`;
  console.log(`  plugins ${worker.plugins.join(', ')}; notifications at ${worker.ingressUrl}; operations at ${worker.operationsUrl}`);

  const kafka = new Kafka({ clientId: 'paystream-demo', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  const events: ResultEvent[] = [];
  const reader: Consumer = kafka.consumer({ groupId: `paystream-demo-${Date.now().toString(36)}` });
  running.push(() => reader.disconnect());
  await reader.connect();
  await reader.subscribe({ topic: names.results, fromBeginning: false });
  const joined = new Promise<void>((r) => reader.on(reader.events.GROUP_JOIN, () => r()));
  await reader.run({
    eachMessage: ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as ResultEvent;
      events.push(event);
      if (event.type !== 'paystream.command.rejected')
        console.log(`  ← ${event.type.padEnd(34)} ${event.data.orderId} (${event.data.verification})`);
      return Promise.resolve();
    },
  });
  await joined;
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  running.push(() => producer.disconnect());
  await producer.connect();

  const waitFor = async (orderId: string, type: string): Promise<ResultEvent> => {
    for (let i = 0; i < 300; i++) {
      const hit = events.find((e) => e.subject === orderId && e.type === type);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no ${type} event for ${orderId} within 30 s`);
  };

  step(
    'Payments: a command per method on Kafka → plugin → Midtrans → the customer completes → notification → status inquiry → signed event',
  );
  const rows: Row[] = [];
  for (const method of worker.plugins) {
    const orderId = `demo-${method}-${Date.now().toString(36)}`;
    const command = {
      commandId: randomUUID(),
      type: 'payment.charge',
      method,
      orderId,
      amount: { value: 125_000, currency: 'IDR' },
      details: await detailsFor(method, sim),
      requestedAt: new Date().toISOString(),
    };
    console.log(`  → payment.charge ${method} ${orderId}`);
    await producer.send({
      topic: names.commands(method),
      acks: -1,
      messages: [{ key: orderId, value: JSON.stringify(command), headers: { 'correlation-id': `demo-${method}` } }],
    });
    const first = await waitFor(orderId, 'paystream.payment.action_required');
    if (first.type === 'paystream.command.rejected') throw new Error(`${method} charge was rejected: ${first.data.message}`);
    const customer = await customerCompletes(sim, first);
    const done = await waitFor(orderId, 'paystream.payment.succeeded');
    const verdict = verifyEvent(done, worker.publicKeys());
    rows.push({
      method,
      order: orderId,
      first: `action_required (${first.data.action?.kind ?? '?'})`,
      customer,
      final: done.type === 'paystream.command.rejected' ? done.type : `succeeded (${done.data.verification})`,
      signature: verdict.valid ? `valid (key ${verdict.keyId})` : 'INVALID',
    });
  }
  table(rows);
  const charges = sim.store.ledger.filter((e) => e.event === 'charge').length;
  console.log(
    `\nSimulator ledger: ${String(sim.store.ledger.length)} entries, ${String(charges)} charges for ${String(rows.length)} orders — none charged twice.`,
  );
  console.log(`Still running: Kafka on ${broker.brokers} (npm run kafka:status; stop it with npm run kafka:stop).`);
}

process.once('SIGINT', () => {
  console.log('\nstopping…');
  void shutdown().then(() => process.exit(130));
});

main()
  .then(shutdown)
  .catch(async (err: unknown) => {
    console.error(err instanceof Error ? `paystream demo: ${err.message}` : err);
    await shutdown();
    process.exit(1);
  });
