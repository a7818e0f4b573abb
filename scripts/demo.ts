// `npm start`: the local demo. A real Kafka broker from Maven Central jars, the Midtrans simulator
// over HTTPS with a per-run CA, and Paystream's core (key ring, TLS policy, access tokens, signing,
// breakers, notification verification) taking one payment per method from charge to a verified
// notification, as a customer completes it. The broker keeps running afterwards; the simulator stops.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCore, createLogger, parseCoreConfig, type CoreServices, type MidtransOutcome } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { coreConfigFromSimulator } from '@paystream/worker';
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

async function customerPays(sim: Simulator, url: string): Promise<string> {
  const { request } = await import('node:https');
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', ca: sim.caCertPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(/id="result">([^<]*)/.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? `HTTP ${String(res.statusCode)}`));
    });
    req.on('error', fail);
    req.end();
  });
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function code(o: MidtransOutcome): string {
  return o.responseCode?.raw ?? o.statusCode ?? String(o.httpStatus);
}

async function oneBiSnapPayment(core: CoreServices, sim: Simulator, rx: NotificationReceiver, method: string, kind: 'debit' | 'qris'): Promise<Row> {
  const order = `demo-${method.toLowerCase()}-${Date.now().toString(36)}`;
  const charge =
    kind === 'debit'
      ? await core.client.snap({ path: '/v1.0/debit/payment-host-to-host', externalId: `${order}-c`, body: { partnerReferenceNo: order, chargeToken: '', payOptionDetails: [{ payMethod: method, payOption: method, transAmount: { value: '125000.00', currency: 'IDR' } }] } })
      : await core.client.snap({ path: '/v1.0/qr/qr-mpm-generate', externalId: order, body: { partnerReferenceNo: order, amount: { value: '45000.00', currency: 'IDR' }, merchantId: sim.credentials.merchantId } });
  const ref = text(charge.body['referenceNo']);
  const customer = await customerPays(sim, `${sim.baseUrl}/pay/${ref}`);
  const note = await rx.next((n) => n.raw.includes(ref) && n.raw.includes('"latestTransactionStatus":"00"'));
  const verdict = core.verifier.verifySnap({ method: 'POST', path: note.path, timestamp: note.headers['x-timestamp'], signature: note.headers['x-signature'], rawBody: Buffer.from(note.raw) });
  const statusPath = kind === 'debit' ? '/v1.0/debit/status' : '/v1.0/qr/qr-mpm-query';
  const inquiry = await core.client.snap({ path: statusPath, externalId: `${order}-s`, body: { originalReferenceNo: ref, serviceCode: kind === 'debit' ? '54' : '47' } });
  return { method, order, charge: code(charge), customer, notification: verdict.valid ? `verified (${verdict.keyId})` : `REJECTED: ${verdict.reason}`, final: `status ${text(inquiry.body['latestTransactionStatus'])}` };
}

async function oneVirtualAccount(core: CoreServices, sim: Simulator, rx: NotificationReceiver): Promise<Row> {
  const trxId = `demo-va-${Date.now().toString(36)}`;
  const va = { partnerServiceId: '   70012', customerNo: String(Date.now()).slice(-10), virtualAccountNo: '' };
  va.virtualAccountNo = va.partnerServiceId + va.customerNo;
  const charge = await core.client.snap({ path: '/v1.0/transfer-va/create-va', externalId: trxId, body: { ...va, virtualAccountName: 'Siti', trxId, totalAmount: { value: '310000.00', currency: 'IDR' }, additionalInfo: { bank: 'bca', merchantId: sim.credentials.merchantId } } });
  const tx = sim.store.find('va', { partnerReferenceNo: trxId });
  const customer = await customerPays(sim, `${sim.baseUrl}/pay/${tx?.referenceNo ?? ''}`);
  const note: Notification = await rx.next((n) => n.raw.includes(trxId));
  const verdict = core.verifier.verifySnap({ method: 'POST', path: note.path, timestamp: note.headers['x-timestamp'], signature: note.headers['x-signature'], rawBody: Buffer.from(note.raw) });
  const inquiry = await core.client.snap({ path: '/v1.0/transfer-va/status', externalId: `${trxId}-s`, body: { ...va, inquiryRequestId: trxId, additionalInfo: { merchantId: sim.credentials.merchantId } } });
  const data = inquiry.body['virtualAccountData'] as Record<string, unknown> | undefined;
  return { method: 'VA (BCA)', order: trxId, charge: code(charge), customer, notification: verdict.valid ? `verified (${verdict.keyId})` : `REJECTED: ${verdict.reason}`, final: `paymentFlagStatus ${text(data?.['paymentFlagStatus'])}` };
}

function table(rows: Row[]): void {
  const cols: (keyof Row)[] = ['method', 'order', 'charge', 'customer', 'notification', 'final'];
  const width = (c: keyof Row) => Math.max(c.length, ...rows.map((r) => r[c].length));
  const line = (r: Record<keyof Row, string>) => cols.map((c) => r[c].padEnd(width(c))).join('  ');
  console.log(`\n${line({ method: 'method', order: 'order', charge: 'charge', customer: 'customer', notification: 'notification', final: 'status inquiry' })}`);
  console.log(cols.map((c) => '─'.repeat(width(c))).join('  '));
  for (const r of rows) console.log(line(r));
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
  const core = await createCore(parseCoreConfig(coreConfigFromSimulator(join(dir, 'sim.json'), dir)), { logger: quiet, watchKeys: false });
  try {
    step('Payments through Paystream core: charge → customer authorises → signed notification verified → status inquiry');
    const rows = [
      await oneBiSnapPayment(core, sim, rx, 'GOPAY', 'debit'),
      await oneBiSnapPayment(core, sim, rx, 'SHOPEEPAY', 'debit'),
      await oneBiSnapPayment(core, sim, rx, 'DANA', 'debit'),
      await oneBiSnapPayment(core, sim, rx, 'QRIS', 'qris'),
      await oneVirtualAccount(core, sim, rx),
    ];
    table(rows);
    console.log(`\nAccess tokens requested: ${String(core.client.tokens.requests)} for ${String(rows.length * 2)} signed calls (cached, single-flight).`);
    console.log(`Simulator ledger: ${String(sim.store.ledger.length)} entries, ${String(sim.store.ledger.filter((e) => e.event === 'charge').length)} charges for ${String(rows.length)} orders.`);
  } finally {
    await core.close();
    await sim.close();
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nStill running: Kafka on ${brokers} (npm run kafka:status; stop it with npm run kafka:stop).`);
  console.log('The Kafka worker and its payment-method plugins are not part of this build yet; see docs/architecture.md.');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `paystream demo: ${err.message}` : err);
  process.exit(1);
});
