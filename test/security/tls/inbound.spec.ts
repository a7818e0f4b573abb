// Our inbound side: the worker's notification ingress, started by the composition root with core's
// inbound TLS policy, refuses every client that forces a downgrade and serves TLS 1.3 and TLS 1.2-GCM
// (what Midtrans' notification senders speak). Each forced client is first shown to work against a
// server that accepts anything, so a refusal is the ingress' doing.
import { request } from 'node:https';
import type {} from '@paystream/kafka-broker/global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorkerFixture, type WorkerFixture } from '../fixtures/worker.ts';
import { countingServer, downgrades, forced, handshake, permissive, protocolOf, type CountingServer, type Forced } from './handshake.ts';

let f: WorkerFixture;
let control: CountingServer;
const port = (): number => Number(new URL(f.worker.ingressUrl).port);

beforeAll(async () => {
  f = await startWorkerFixture({ brokers: inject('kafkaBrokers'), plugins: ['gopay', 'card-3ds'] });
  control = await countingServer({ cert: f.pki.certPem, key: f.pki.keyPem, ...permissive });
});
afterAll(async () => {
  await control.close();
  await f.stop();
});

/** An unsigned notification over a channel the client forces: the HTTP status the ingress answers. */
function post(path: string, options: (typeof forced)[Forced]): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(
      `${f.worker.ingressUrl}${path}`,
      {
        method: 'POST',
        ca: f.pki.caPem,
        servername: 'localhost',
        agent: false,
        headers: { 'content-type': 'application/json' },
        ...options,
      },
      (res) => {
        res.resume().on('end', () => done(res.statusCode ?? 0));
      },
    );
    req.on('error', fail);
    req.end('{"originalPartnerReferenceNo":"nobody"}');
  });
}

describe('inbound: the notification ingress under core inboundTlsOptions', () => {
  it('serves HTTPS only', () => {
    expect(f.worker.ingressUrl).toMatch(/^https:/);
  });

  it.each(downgrades)('refuses a client forcing %s, which a permissive server accepts', async (client) => {
    expect((await handshake(control.port, { ca: f.pki.caPem, ...forced[client] })).split(' ')[0]).toBe(protocolOf[client]);
    await expect(handshake(port(), { ca: f.pki.caPem, ...forced[client] })).rejects.toThrow();
  });

  it.each(['tls13', 'tls12Gcm'] as const)('accepts %s and answers an unsigned notification with 401', async (client) => {
    expect((await handshake(port(), { ca: f.pki.caPem, ...forced[client] })).split(' ')[0]).toBe(protocolOf[client]);
    expect(await post('/v1.0/debit/notify', forced[client])).toBe(401);
  });

  it('negotiates TLS 1.3 with an AES-GCM suite when the client leaves the choice to it', async () => {
    expect(await handshake(port(), { ca: f.pki.caPem })).toMatch(/^TLSv1\.3 TLS_AES_(256|128)_GCM_SHA(384|256)$/);
  });
});

describe('the simulator refuses the downgrades its own tests leave out', () => {
  // packages/midtrans-sim/test/negative.spec.ts covers TLS 1.1, TLS 1.2-CBC and plain HTTP.
  it.each(['tls10', 'tls12StaticRsaGcm', 'tls12Chacha', 'tls13Chacha'] as const)('refuses a client forcing %s', async (client) => {
    await expect(handshake(Number(new URL(f.sim.baseUrl).port), { ca: f.sim.caCertPem, ...forced[client] })).rejects.toThrow();
  });
});
