// Our outbound side end to end: core's Midtrans client, built from configuration exactly as the worker
// builds it, against servers that offer only a downgraded channel. core's policy.spec proves the TLS
// options handshake by handshake; here the whole client must refuse, and not one HTTP request may
// reach the server. Each hostile server is first shown to work with a client that accepts anything.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCore, createLogger, parseCoreConfig, type CoreConfigInput, type CoreServices } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { coreConfigFromSimulator } from '@paystream/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../../../packages/core/test/certs.ts';
import { countingServer, downgrades, forced, handshake, permissive, protocolOf, type CountingServer, type Forced } from './handshake.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-outbound-'));
let sim: Simulator;
let base: CoreConfigInput;
let pki: TestPki;
let stranger: TestPki;

beforeAll(async () => {
  [sim, pki, stranger] = await Promise.all([startSimulator(), makePki(), makePki()]);
  writeDescriptor(sim, join(dir, 'sim.json'));
  base = coreConfigFromSimulator(join(dir, 'sim.json'), dir);
  writeFileSync(join(dir, 'ca.pem'), pki.caPem);
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const quiet = createLogger({ name: 'outbound', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() }));

/** A core whose every Midtrans URL is `url`, trusting our test CA, with TLS 1.2 allowed for BI-SNAP too. */
function coreFor(url: string): Promise<CoreServices> {
  const config = parseCoreConfig({
    ...base,
    snapBaseUrl: url,
    coreBaseUrl: url,
    tls: { caFiles: [join(dir, 'ca.pem')], allowTls12ForSnap: true },
    http: { maxAttempts: 1, connectTimeoutMs: 3_000, totalTimeoutMs: 5_000 },
  });
  return createCore(config, { logger: quiet, watchKeys: false });
}

async function callBoth(server: CountingServer): Promise<unknown[]> {
  const core = await coreFor(server.url);
  try {
    const outcomes = await Promise.allSettled([
      core.client.snap({ path: '/v1.0/debit/status', externalId: 'tls-probe', body: { originalPartnerReferenceNo: 'tls-probe' } }),
      core.client.coreApi({ method: 'GET', path: '/v2/tls-probe/status' }),
    ]);
    return outcomes.map((o): unknown => (o.status === 'rejected' ? (o.reason as unknown) : o.value));
  } finally {
    await core.close();
  }
}

describe('outbound: core refuses downgraded Midtrans servers', () => {
  it.each(downgrades)(
    'a server offering only %s gets no request from core, though a permissive client can talk to it',
    async (offer: Forced) => {
      const server = await countingServer({ cert: pki.certPem, key: pki.keyPem, ...forced[offer] });
      try {
        expect((await handshake(server.port, { ca: pki.caPem, ...permissive })).split(' ')[0]).toBe(protocolOf[offer]);
        const outcomes = await callBoth(server);
        for (const o of outcomes)
          expect(o).toMatchObject({ code: expect.stringMatching(/^PS_ERR_MIDTRANS_(UNAVAILABLE|OUTCOME_UNKNOWN)$/) as unknown });
        expect(server.requests()).toBe(0);
      } finally {
        await server.close();
      }
    },
  );

  it('a server whose certificate comes from a CA we do not trust gets no request', async () => {
    const server = await countingServer({ cert: stranger.certPem, key: stranger.keyPem });
    try {
      for (const o of await callBoth(server)) expect(o).toMatchObject({ code: expect.stringMatching(/^PS_ERR_MIDTRANS_/) as unknown });
      expect(server.requests()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it.each(['tls13', 'tls12Gcm'] as const)('the same client does reach a server offering only %s (the control)', async (offer) => {
    const server = await countingServer({ cert: pki.certPem, key: pki.keyPem, ...forced[offer] });
    try {
      await callBoth(server);
      expect(server.requests()).toBeGreaterThanOrEqual(2);
    } finally {
      await server.close();
    }
  });

  it('refuses plain http: Midtrans URLs in the configuration', () => {
    expect(() => parseCoreConfig({ ...base, snapBaseUrl: 'http://127.0.0.1:1/' })).toThrow(/snapBaseUrl: must be an https: URL/);
    expect(() => parseCoreConfig({ ...base, coreBaseUrl: 'http://127.0.0.1:1/' })).toThrow(/coreBaseUrl: must be an https: URL/);
  });
});
