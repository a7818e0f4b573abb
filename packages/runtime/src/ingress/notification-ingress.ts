// Midtrans notifications in: verify the signature over the raw bytes, confirm by status inquiry,
// cross-check amount and order against what was commanded, publish the verified result (acks=all),
// and only then answer 200. Anything unverifiable is never a success; a non-2xx answer makes
// Midtrans retry later.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { MidtransError, type NotificationVerifier } from '@paystream/core';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { inquirable, statusCommand } from '../state/status-command.ts';
import { amountMismatch } from '../dispatch/amount-check.ts';
import type { Dispatcher } from '../dispatch/dispatcher.ts';
import type { OrderReferences } from '../state/order-references.ts';

const MAX_BODY = 64 * 1024;

/** Where Midtrans' Core API HTTP notifications are received (the dashboard's Payment Notification URL). */
export const CORE_NOTIFICATION_PATH = '/notifications/core';

/** The BI-SNAP success answer per notify path (Midtrans reference §6). */
const ACK: Record<string, string> = { '/v1.0/debit/notify': '2005600', '/v1.0/qr/qr-mpm-notify': '2005200', '/v1.0/transfer-va/payment': '2002500' };
const VA_NOTIFY_PATH = '/v1.0/transfer-va/payment';
/** Where notifications name their transaction: Core API, direct debit / QRIS, VA. */
const REFERENCE_FIELDS = ['order_id', 'originalPartnerReferenceNo', 'originalReferenceNo', 'referenceNo', 'trxId'] as const;

/** A VA payment notification is answered with the account it paid, as Midtrans expects. */
function vaEcho(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(['partnerServiceId', 'customerNo', 'virtualAccountNo', 'trxId'].flatMap((k) => (typeof body[k] === 'string' ? [[k, body[k]]] : [])));
}

export interface IngressOptions {
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly verifier: NotificationVerifier;
  readonly orders: OrderReferences;
  readonly dispatcher: Dispatcher;
  readonly host?: string;
  readonly port?: number;
  /** TLS certificate and key (core's inbound policy); plain HTTP only behind a TLS-terminating proxy. */
  readonly tls?: import('node:tls').SecureContextOptions;
  readonly onEvent?: (e: { path: string; outcome: string; orderId?: string }) => void;
}

export interface Ingress {
  readonly url: string;
  close(): Promise<void>;
}

function read(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => done(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on('error', () => done(undefined));
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Every Midtrans notification is a JSON object; anything else (null, an array, a number) is malformed. */
function parseObject(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(raw.toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (o: Record<string, unknown>, k: string): string | undefined => (typeof o[k] === 'string' ? o[k] : undefined);

export async function startIngress(opts: IngressOptions): Promise<Ingress> {
  const snapPaths = new Set([...opts.plugins.values()].flatMap((p) => p.notifications.snapPaths ?? []));
  const coreTypes = new Set([...opts.plugins.values()].flatMap((p) => p.notifications.corePaymentTypes ?? []));

  async function decide(req: IncomingMessage): Promise<[number, unknown]> {
    const path = new URL(req.url ?? '/', 'http://ingress').pathname;
    const note = (outcome: string, orderId?: string): void => opts.onEvent?.({ path, outcome, ...(orderId ? { orderId } : {}) });
    const core = path === CORE_NOTIFICATION_PATH && coreTypes.size > 0;
    if (req.method !== 'POST' || (!snapPaths.has(path) && !core)) return [404, { responseCode: '4040000', responseMessage: 'Not Found' }];
    const raw = await read(req);
    if (!raw) return [413, { responseCode: '4130000', responseMessage: 'Payload Too Large' }];
    const body = parseObject(raw);
    if (!body) return [400, { responseCode: '4000001', responseMessage: 'Invalid JSON' }];
    const verdict = core
      ? opts.verifier.verifyCore(body)
      : opts.verifier.verifySnap({ method: 'POST', path, timestamp: req.headers['x-timestamp'] as string | undefined, signature: req.headers['x-signature'] as string | undefined, rawBody: raw });
    if (!verdict.valid) {
      note(`rejected: ${verdict.reason}`);
      return [401, { responseCode: '4010000', responseMessage: 'Unauthorized. Signature' }];
    }
    // Each notification names its transaction its own way (and may carry Midtrans references we never
    // learnt, such as a VA payment's referenceNo): the first field that names a known order wins.
    let orderId: string | undefined;
    for (const field of REFERENCE_FIELDS) {
      const value = str(body, field);
      orderId = value ? opts.orders.orderOf(value) : undefined;
      if (orderId) break;
    }
    const known = orderId ? opts.orders.get(orderId) : {};
    const plugin = known['method'] ? opts.plugins.get(known['method']) : undefined;
    if (!orderId || !plugin || !inquirable(known)) {
      note('unknown order');
      // Not ours yet (or a charge still being recorded): Midtrans will retry.
      return [404, { responseCode: '4040001', responseMessage: 'Transaction Not Found' }];
    }
    const command = statusCommand(orderId, known, plugin);
    // The notification is a hint: the status inquiry is what we publish.
    let update;
    try {
      update = await opts.dispatcher.inquire(plugin, command);
    } catch (err) {
      if (!MidtransError.is(err)) throw err;
      note(`inquiry failed: ${err.code}`, orderId);
      return [503, { responseCode: '5030000', responseMessage: 'Status inquiry unavailable, retry later' }];
    }
    const wrong = amountMismatch(update, command.amount);
    if (wrong) {
      note(wrong, orderId);
      return [500, { responseCode: '5000001', responseMessage: 'Amount mismatch under review' }];
    }
    await opts.dispatcher.publish(command, plugin, update, { verification: 'notification+inquiry' });
    note(update.status, orderId);
    return [200, { responseCode: ACK[path] ?? '2000000', responseMessage: 'Successful', ...(path === VA_NOTIFY_PATH ? { virtualAccountData: vaEcho(body) } : {}) }];
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    decide(req).then(
      ([status, body]) => reply(res, status, body),
      () => reply(res, 500, { responseCode: '5000000', responseMessage: 'Internal Server Error' }),
    );
  };
  const server: Server = opts.tls ? createHttps(opts.tls, listener) : createHttp(listener);
  await new Promise<void>((done) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${opts.host ?? '127.0.0.1'}:${String(port)}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
