// Our inbound side: the worker's notification ingress, started by the composition root with core's
// inbound TLS policy, serves TLS 1.3 only by default (the BI-SNAP TLS 1.2 sunset has passed) and
// refuses every client that forces a downgrade; TLS 1.2-GCM only with `minTlsVersion: 'TLSv1.2'`,
// which the worker logs as a warning. Each forced client is first shown to work against a server that
// accepts anything, so a refusal is the ingress' doing.
import { request } from 'node:https';
import { Writable } from 'node:stream';
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
function post(on: WorkerFixture, path: string, options: (typeof forced)[Forced]): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(
      `${on.worker.ingressUrl}${path}`,
      {
        method: 'POST',
        ca: on.pki.caPem,
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

  it.each([...downgrades, 'tls12Gcm'] as const)(
    'refuses a client forcing %s by default, which a permissive server accepts',
    async (client) => {
      expect((await handshake(control.port, { ca: f.pki.caPem, ...forced[client] })).split(' ')[0]).toBe(protocolOf[client]);
      await expect(handshake(port(), { ca: f.pki.caPem, ...forced[client] })).rejects.toThrow();
    },
  );

  it('accepts tls13 and answers an unsigned notification with 401', async () => {
    expect((await handshake(port(), { ca: f.pki.caPem, ...forced.tls13 })).split(' ')[0]).toBe('TLSv1.3');
    expect(await post(f, '/v1.0/debit/notify', forced.tls13)).toBe(401);
  });

  it('negotiates TLS 1.3 with an AES-GCM suite when the client leaves the choice to it', async () => {
    expect(await handshake(port(), { ca: f.pki.caPem })).toMatch(/^TLSv1\.3 TLS_AES_(256|128)_GCM_SHA(384|256)$/);
  });
});

describe('inbound with TLS 1.2 explicitly allowed (ingress.minTlsVersion TLSv1.2)', () => {
  let tls12: WorkerFixture;
  const lines: string[] = [];
  beforeAll(async () => {
    const logTo = new Writable({
      write: (chunk: Buffer, _e, done) => {
        lines.push(chunk.toString());
        done();
      },
    });
    tls12 = await startWorkerFixture({
      brokers: inject('kafkaBrokers'),
      plugins: ['gopay'],
      logTo,
      logLevel: 'warn',
      ingress: { minTlsVersion: 'TLSv1.2' },
    });
  });
  afterAll(async () => {
    await tls12.stop();
  });
  const tls12Port = (): number => Number(new URL(tls12.worker.ingressUrl).port);

  it('accepts TLS 1.2-GCM and TLS 1.3, and the worker warned about it at start', async () => {
    for (const client of ['tls12Gcm', 'tls13'] as const) {
      expect((await handshake(tls12Port(), { ca: tls12.pki.caPem, ...forced[client] })).split(' ')[0]).toBe(protocolOf[client]);
      expect(await post(tls12, '/v1.0/debit/notify', forced[client])).toBe(401);
    }
    expect(lines.some((l) => l.includes('"level":40') && l.includes('accepts TLS 1.2'))).toBe(true);
  });

  it.each(downgrades)('still refuses a client forcing %s', async (client) => {
    await expect(handshake(tls12Port(), { ca: tls12.pki.caPem, ...forced[client] })).rejects.toThrow();
  });
});

describe('the simulator refuses the downgrades its own tests leave out', () => {
  // packages/midtrans-sim/test/negative.spec.ts covers TLS 1.1, TLS 1.2-CBC and plain HTTP.
  it.each(['tls10', 'tls12StaticRsaGcm', 'tls12Chacha', 'tls13Chacha'] as const)('refuses a client forcing %s', async (client) => {
    await expect(handshake(Number(new URL(f.sim.baseUrl).port), { ca: f.sim.caCertPem, ...forced[client] })).rejects.toThrow();
  });
});
