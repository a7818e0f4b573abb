// The notification ingress' body handling, on the worker as production composes it: unsigned,
// mis-signed or tampered notifications — huge, deeply nested, not JSON, carrying prototype keys —
// never get a 2xx and never stop the ingress; even validly signed hostile bodies only reach "unknown
// order". Object.prototype is the same afterwards. A genuine notification of a real order is the control.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type {} from '@paystream/kafka-broker/global-setup';
import { CORE_NOTIFICATION_PATH } from '@paystream/runtime';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorkerFixture, type WorkerFixture } from '../fixtures/worker.ts';
import { hostileValue, nestedJson, pollutingJson, prototypeShape } from './arbitraries.ts';
import { IngressClient, signCore, signSnap } from './notary.ts';

const SNAP = '/v1.0/debit/notify';
const shape = prototypeShape();
let f: WorkerFixture;
let client: IngressClient;
let serverKey: string;

beforeAll(async () => {
  f = await startWorkerFixture({ brokers: inject('kafkaBrokers'), plugins: ['gopay', 'card-3ds'] });
  client = new IngressClient(f.worker.ingressUrl, f.pki.caPem);
  serverKey = readFileSync(f.config.merchants['default']?.serverKeyFile ?? '', 'utf8').trim();
});
afterAll(async () => {
  client.close();
  await f.stop();
});

const json = (v: unknown): string => {
  try {
    // undefined serialises to nothing: send the word, which is hostile enough.
    const text = JSON.stringify(v) as string | undefined;
    return text === undefined ? 'undefined' : text;
  } catch {
    return '"unserialisable"';
  }
};

/** Bodies as an attacker would send them. */
const hostileBody = fc.oneof(
  hostileValue.map(json),
  pollutingJson.map(json),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => nestedJson(depth, '{"order_id":"x","__proto__":{"polluted":1}}')),
  fc.constantFrom('', 'null', '[]', '"x"', '{', '{"a":}', '\u0000\u0001', 'x'.repeat(64 * 1024 - 1), `{"pad":"${'y'.repeat(70_000)}"}`),
  fc.uint8Array({ maxLength: 2_048 }).map((b) => Buffer.from(b).toString('latin1')),
);

const is2xx = (status: number): boolean => status >= 200 && status < 300;

describe('notification ingress with hostile bodies', () => {
  it('never answers 2xx to an unsigned or mis-signed notification, on any path, and keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(SNAP, CORE_NOTIFICATION_PATH, '/v1.0/qr/qr-mpm-notify', '/'),
        hostileBody,
        fc.option(fc.base64String({ maxLength: 400 })),
        async (path, body, signature) => {
          const headers = signature === null ? {} : { 'x-timestamp': new Date().toISOString(), 'x-signature': signature };
          expect(is2xx(await client.post({ path, body, headers }))).toBe(false);
          expect(prototypeShape()).toBe(shape);
        },
      ),
      { numRuns: 150 },
    );
    expect(await client.post({ path: SNAP, body: '{}' })).toBe(401);
  });

  it('takes validly signed hostile bodies no further than "unknown order"', async () => {
    const signedHostile = fc.oneof(
      hostileBody.filter((b) => b !== 'null').map((b) => signSnap(f.notaryKey, SNAP, b)),
      fc
        .record({
          order_id: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString')),
          status_code: fc.constant('200'),
          gross_amount: fc.constant('1.00'),
        })
        .map((fields) => ({ path: CORE_NOTIFICATION_PATH, body: JSON.stringify(signCore(serverKey, fields)), headers: {} })),
      fc
        .constantFrom('__proto__', 'constructor', 'hasOwnProperty')
        .map((ref) => signSnap(f.notaryKey, SNAP, `{"originalPartnerReferenceNo":"${ref}","originalReferenceNo":"${ref}"}`)),
    );
    await fc.assert(
      fc.asyncProperty(signedHostile, async (n) => {
        const status = await client.post(n);
        expect(is2xx(status)).toBe(false);
        expect(status).toBeLessThan(500);
        expect(prototypeShape()).toBe(shape);
      }),
      { numRuns: 150 },
    );
  });

  it('answers 200 to the genuine notification of a real order, and never to a tampered copy of it', async () => {
    const orderId = `sec-${randomUUID().slice(0, 8)}`;
    await f.publish('gopay', orderId, {
      commandId: randomUUID(),
      type: 'payment.charge',
      method: 'gopay',
      orderId,
      amount: { value: 120_000, currency: 'IDR' },
      details: {},
      requestedAt: new Date().toISOString(),
    });
    const body = JSON.stringify({
      originalPartnerReferenceNo: orderId,
      latestTransactionStatus: '03',
      amount: { value: '120000.00', currency: 'IDR' },
    });
    await expect.poll(() => client.post(signSnap(f.notaryKey, SNAP, body)), { timeout: 30_000, interval: 250 }).toBe(200);
    const genuine = signSnap(f.notaryKey, SNAP, body);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(body.length - 1),
        fc.constantFrom('0', 'Z', '}', '"'),
        fc.constantFrom('body', 'signature', 'timestamp'),
        async (at, ch, what) => {
          const forged = { ...genuine, headers: { ...genuine.headers } };
          if (what === 'body') {
            if (body[at] === ch || /\s/.test(body[at] ?? '')) return;
            forged.body = Buffer.from(body.slice(0, at) + ch + body.slice(at + 1));
          } else if (what === 'signature') forged.headers['x-signature'] = `${(genuine.headers['x-signature'] ?? '').slice(0, -4)}AAA=`;
          else {
            // Seconds before the genuine timestamp, not before now: within one second they could be equal.
            const signedAt = Date.parse(genuine.headers['x-timestamp'] ?? '');
            forged.headers['x-timestamp'] =
              signSnap(f.notaryKey, SNAP, body, new Date(signedAt - 1_000 * (at + 1))).headers['x-timestamp'] ?? '';
          }
          expect(is2xx(await client.post(forged))).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('notification ingress with bodies that are JSON but not objects', () => {
  it('answers a JSON body that is not an object with 400, not 500 from a handler that threw', async () => {
    expect(await client.post({ path: CORE_NOTIFICATION_PATH, body: 'null' })).toBe(400);
    expect(await client.post(signSnap(f.notaryKey, SNAP, 'null'))).toBe(400);
  });
});
