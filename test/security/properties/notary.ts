// Signing as Midtrans does, with a key the worker under test trusts, and sending to its ingress:
// what the notification properties need to reach past the signature check with hostile bodies.
import { sign, type KeyObject } from 'node:crypto';
import { Agent, request } from 'node:https';
import { coreSignatureKey, notificationStringToSign, snapTimestamp } from '@paystream/core';

export interface SignedNotification {
  readonly path: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

export function signSnap(key: KeyObject, path: string, body: Buffer | string, at = new Date()): SignedNotification {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const timestamp = snapTimestamp(at);
  const signature = sign('RSA-SHA256', Buffer.from(notificationStringToSign('POST', path, bytes, timestamp)), key).toString('base64');
  return { path, body: bytes, headers: { 'content-type': 'application/json', 'x-timestamp': timestamp, 'x-signature': signature } };
}

/** A Core API notification body with the signature_key the server key gives it. */
export function signCore(
  serverKey: string,
  fields: { order_id: string; status_code: string; gross_amount: string } & Record<string, unknown>,
): Record<string, unknown> {
  return { ...fields, signature_key: coreSignatureKey(fields.order_id, fields.status_code, fields.gross_amount, serverKey) };
}

export class IngressClient {
  readonly #agent: Agent;
  readonly #base: string;

  constructor(baseUrl: string, caPem: string) {
    this.#base = baseUrl;
    this.#agent = new Agent({ keepAlive: true, maxSockets: 4, ca: caPem });
  }

  /** The HTTP status the ingress answers. */
  post(n: { path: string; body: Buffer | string; headers?: Record<string, string> }): Promise<number> {
    return new Promise((done, fail) => {
      const req = request(
        `${this.#base}${n.path}`,
        { method: 'POST', agent: this.#agent, headers: { 'content-type': 'application/json', ...n.headers } },
        (res) => {
          res.resume().on('end', () => done(res.statusCode ?? 0));
        },
      );
      req.on('error', fail);
      req.end(n.body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
