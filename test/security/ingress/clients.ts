// Clients of the worker's notification ingress, as a caller would be and as an attacker would be:
// signed notifications over a keep-alive agent, connections that trickle their headers, uploads that
// never end; and the simulator side of an order (its customer paying, its status inquiries).
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import type { Simulator } from '@paystream/midtrans-sim';
import type { WorkerFixture } from '../fixtures/worker.ts';
import type { SignedNotification } from '../properties/notary.ts';

export const DEBIT_NOTIFY = '/v1.0/debit/notify';
export const DEBIT_STATUS = '/v1.0/debit/status';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export function post(f: WorkerFixture, n: SignedNotification, agent?: Agent): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request(
      `${f.worker.ingressUrl}${n.path}`,
      { method: 'POST', ca: f.pki.caPem, agent: agent ?? false, headers: n.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res
          .on('data', (c: Buffer) => chunks.push(c))
          .on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', fail);
    req.end(n.body);
  });
}

/** Status inquiries the simulator has answered so far (its request log). */
export const inquiries = (sim: Simulator): number => sim.requests.filter((r) => r.path === DEBIT_STATUS).length;

/** A GoPay charge of `amount`, paid by its customer; resolves once the worker has answered Midtrans' notification of it. */
export async function paidOrder(f: WorkerFixture, amount: number): Promise<string> {
  const orderId = `ingress-${randomUUID().slice(0, 8)}`;
  const command = {
    commandId: randomUUID(),
    type: 'payment.charge',
    method: 'gopay',
    orderId,
    amount: { value: amount, currency: 'IDR' },
    details: {},
    requestedAt: new Date().toISOString(),
  };
  await f.publish('gopay', orderId, command);
  let reference: string | undefined;
  const poll = { timeout: 60_000, interval: 100 };
  await expectEventually(() => (reference = f.sim.store.find('debit', { partnerReferenceNo: orderId })?.referenceNo) !== undefined, poll);
  await new Promise<void>((done, fail) => {
    request(`${f.sim.baseUrl}/pay/${reference ?? ''}`, { method: 'POST', ca: f.sim.caCertPem }, (res) => res.resume().on('end', done))
      .on('error', fail)
      .end();
  });
  // Once answered 200, the order is succeeded: the reconciler no longer asks about it.
  await expectEventually(() => f.sim.webhooks.deliveries.some((d) => d.orderId === orderId && d.status === 200), poll);
  return orderId;
}

async function expectEventually(check: () => boolean, { timeout, interval }: { timeout: number; interval: number }): Promise<void> {
  const until = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting for the order to be paid and notified');
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** A TLS connection from `localAddress` that sends the start of a request and then nothing. */
export function slowClient(f: WorkerFixture, localAddress: string): Promise<{ socket: TLSSocket; open: () => boolean }> {
  return new Promise((done, fail) => {
    let closed = false;
    const port = Number(new URL(f.worker.ingressUrl).port);
    const tcp = tcpConnect({ host: '127.0.0.1', port, localAddress });
    tcp.on('error', () => undefined);
    const socket = connect({ socket: tcp, servername: 'localhost', ca: f.pki.caPem }, () => {
      socket.write(`POST ${DEBIT_NOTIFY} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n`);
      done({ socket, open: () => !closed });
    });
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.once('error', fail);
  });
}

/**
 * Uploads up to `total` bytes of body, as fast as the server takes them, until it ends the
 * connection; resolves with the body bytes the client managed to hand over.
 */
export function endlessUpload(
  f: WorkerFixture,
  headers: Record<string, string>,
  total: number,
  chunked: boolean,
): Promise<{ handedOver: number; ended: boolean }> {
  return new Promise((done) => {
    const port = Number(new URL(f.worker.ingressUrl).port);
    const chunk = Buffer.alloc(16 * 1024, 'a');
    let handedOver = 0;
    let ended = false;
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: f.pki.caPem }, () => {
      const head = Object.entries({
        host: 'localhost',
        ...headers,
        ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(total) }),
      });
      socket.write(`POST ${DEBIT_NOTIFY} HTTP/1.1\r\n${head.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
      const pump = (): void => {
        while (!ended && handedOver < total) {
          handedOver += chunk.length;
          const more = socket.write(
            chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk,
          );
          if (!more) return void socket.once('drain', pump);
        }
        // Everything handed over and the connection still open: the server read it all; end the test's wait.
        if (!ended) setTimeout(() => socket.destroy(), 5_000).unref();
      };
      pump();
    });
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      ended = true;
      done({ handedOver, ended: handedOver < total });
    });
  });
}
