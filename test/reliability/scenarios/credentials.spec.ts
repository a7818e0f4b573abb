// The merchant's credentials going bad while charges flow through two workers: the access token
// expires early (one refresh per worker, no command noticing); Midtrans revokes the credentials (the
// workers pause the plugins using them and report unready, with the reason, and nothing reaches the
// DLQ) and reinstates them; Midtrans rotates the client secret and ends the transition before the
// operator installs the new one (the workers stay paused, not resuming on a mere access token, until
// SIGHUP loads it); Midtrans revokes them after a compromise and issues new ones (the operator
// installs the new key and client secret, lists the old key as revoked and signals SIGHUP);
// and the compromised key put back by mistake is refused by the workers themselves, never sent.
// Every command completes once valid credentials are back: one charge and one succeeded per order.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import type { PaymentCommand } from '@paystream/contracts';
import { startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  fingerprintOf,
  merchantKeyPair,
  readiness,
  reloads,
  replaceFile,
  sighup,
  untilReadiness,
  untilReloaded,
  watchReadiness,
  type Readiness,
} from '../src/operator.ts';
import { sized } from '../src/record.ts';
import { conclude, expectClean, runTag } from '../src/scenario.ts';
import { expectChargedOnce, logRecords, Traffic } from '../src/traffic.ts';

const METHODS = ['gopay', 'qris', 'card-3ds'] as const;
const SNAP_METHODS: ReadonlySet<string> = new Set(['gopay', 'qris']);
const PER_WAVE = sized(3, 8);
const WAVES = sized(3, 8);
const TOKEN_PATH = '/v1.0/access-token/b2b';
const REFUSED = /^credentials refused: default\/snap$/;
const RESUMED = 'the credentials work again: consumption resumes';

let system: PaystreamSystem | undefined;
/** The operator's files the workers read their credentials from. */
const files = { privateKey: '', clientSecret: '', revocationList: '' };

beforeAll(async () => {
  system = await startSystem({
    name: 'credentials',
    brokers: inject('kafkaBrokers'),
    workers: 2,
    plugins: [...METHODS],
    env: { PAYSTREAM_CREDENTIALS_PROBE_MS: '1000' },
    configure: (base, dir) => {
      const keys = join(dir, 'worker-keys');
      const merchant = base.merchants['default'];
      if (!merchant) throw new Error('no default merchant in the simulator configuration');
      files.privateKey = join(keys, 'merchant-private.pem');
      files.clientSecret = merchant.clientSecretFile;
      files.revocationList = join(keys, 'revoked-keys.txt');
      copyFileSync(merchant.privateKeyFile, files.privateKey);
      writeFileSync(files.revocationList, '# SPKI SHA-256 fingerprints of compromised keys\n', { mode: 0o600 });
      return {
        ...base,
        merchants: { default: { ...merchant, privateKeyFile: files.privateKey } },
        revocationListFile: files.revocationList,
      };
    },
  });
});

afterAll(async () => {
  await system?.close();
});

const tokenRequests = (s: PaystreamSystem): number => s.simulator.sim.requests.filter((r) => r.path === TOKEN_PATH).length;

/**
 * While credentials are refused, charges published now must wait: once the Core API charges among
 * them (whose credentials still work) were answered, none of the BI-SNAP ones may have been.
 */
async function expectHeld(s: PaystreamSystem, traffic: Traffic): Promise<PaymentCommand[]> {
  const wave = await traffic.send(PER_WAVE * 2);
  const core = wave.filter((c) => !SNAP_METHODS.has(c.method));
  await traffic.settled(120_000, 'action_required', core);
  const snap = wave.filter((c) => SNAP_METHODS.has(c.method));
  expect(traffic.reached('action_required', snap).map((c) => c.orderId)).toEqual([]);
  return snap;
}

/**
 * A worker notices refused credentials on its next BI-SNAP call, so charges keep coming until every
 * worker has made one and reports it.
 */
async function untilRefused(s: PaystreamSystem, traffic: Traffic): Promise<Readiness[]> {
  let last: Readiness[] = [];
  return until(
    async () => {
      last = await readiness(s);
      if (last.every((r) => r.status === 503 && r.reasons.some((x) => REFUSED.test(x)))) return last;
      await traffic.send(2);
      return undefined;
    },
    () => `the workers' /readyz: ${JSON.stringify(last)}`,
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

async function waves(traffic: Traffic, n: number): Promise<void> {
  for (let w = 0; w < n; w++) {
    await traffic.send(PER_WAVE);
    await new Promise((t) => setTimeout(t, 500));
  }
}

describe('credentials: an early token expiry, revocation and reinstatement, a stale client secret, new credentials after a compromise', () => {
  it('refreshes once, pauses and reports unready while refused, resumes with valid credentials, and completes every command', async () => {
    const s = system as PaystreamSystem;
    const admin = s.simulator.admin;
    const startedAt = Date.now();
    const traffic = new Traffic(s, { methods: METHODS, tag: runTag('creds') });
    const log: string[] = [`2 workers; charges over ${METHODS.join(', ')}, customers paying as asked`];
    await waves(traffic, WAVES);
    await traffic.settled(120_000, 'action_required');

    // The access token expires early: each worker refreshes it once, and no worker stops being ready.
    const watch = watchReadiness(s);
    const tokensBefore = tokenRequests(s);
    await admin.addFault({ kind: 'token-expired', path: '/v1.0/', count: 1 });
    await waves(traffic, WAVES);
    await traffic.settled(120_000, 'action_required');
    const refreshes = tokenRequests(s) - tokensBefore;
    const unready = await watch.stop();
    log.push(
      `the access token expired early (every token dropped at Midtrans): ${String(refreshes)} token requests by 2 workers, never unready`,
    );
    expect(refreshes).toBeGreaterThan(0);
    expect(refreshes).toBeLessThanOrEqual(s.workers.slots.length);
    // Only the credentials are this phase's business (a produce slower than 10 s on a loaded machine is not).
    expect(unready.filter((u) => /credentials|circuit breaker/.test(u))).toEqual([]);
    expect(logRecords(s, 'Midtrans refuses the credentials: consumption of their plugins pauses')).toEqual([]);

    // Midtrans revokes the credentials, then reinstates them.
    await admin.ok('POST', '/revoke');
    const refused = await untilRefused(s, traffic);
    const held = await expectHeld(s, traffic);
    expect(s.results.dlq).toEqual([]);
    await admin.ok('POST', '/reinstate');
    await untilReadiness(s, 200);
    await traffic.settled(120_000, 'action_required', held);
    log.push(
      `the credentials revoked at Midtrans: both workers paused BI-SNAP consumption and reported /readyz 503 "${refused[0]?.reasons.join('; ') ?? ''}"; ${String(held.length)} charges held meanwhile; reinstated, they resumed`,
    );

    // The client secret rotated at Midtrans and its transition over before the operator installed the
    // new one: access tokens are still issued, every signed call is refused. The workers stay paused
    // — a probe must not take a fresh token for working credentials — until the new secret is loaded.
    const resumedBefore = logRecords(s, RESUMED).length;
    const { clientSecret } = (await admin.ok('POST', '/rotate-client-secret')) as { clientSecret: string };
    await admin.ok('POST', '/end-transition');
    const probedFrom = tokenRequests(s);
    await untilRefused(s, traffic);
    const heldForSecret = await expectHeld(s, traffic);
    await until(
      () => tokenRequests(s) - probedFrom >= 3 * s.workers.slots.length,
      () => `${String(tokenRequests(s) - probedFrom)} token requests while the secret was stale`,
      { timeoutMs: 60_000 },
    );
    const flaps = logRecords(s, RESUMED).length - resumedBefore;
    const beforeSecret = reloads(s);
    replaceFile(files.clientSecret, clientSecret);
    sighup(s);
    await untilReloaded(s, beforeSecret);
    await untilReadiness(s, 200);
    await traffic.settled(120_000, 'action_required', heldForSecret);
    log.push(
      `the client secret rotated at Midtrans and its transition ended before the operator installed it: both workers paused and stayed paused (${String(flaps)} resumptions) through ${String(tokenRequests(s) - probedFrom)} token requests, until the new secret was loaded by SIGHUP; ${String(heldForSecret.length)} charges held meanwhile`,
    );
    expect(flaps, 'consumption resumed while every signed call was still refused').toBe(0);

    // A compromise: Midtrans revokes everything until new credentials are issued; the operator
    // installs them, lists the old key as revoked, and signals SIGHUP.
    const compromised = s.simulator.sim.credentials.merchantPrivateKeyPem ?? '';
    await admin.ok('POST', '/revoke');
    await untilRefused(s, traffic);
    const heldAgain = await expectHeld(s, traffic);
    const fresh = merchantKeyPair();
    const issued = (await admin.ok('POST', '/issue-credentials', { merchantPublicKeyPem: fresh.publicKeyPem })) as { clientSecret: string };
    const before = reloads(s);
    replaceFile(files.privateKey, fresh.privateKeyPem);
    replaceFile(files.clientSecret, issued.clientSecret);
    replaceFile(files.revocationList, `# compromised ${new Date().toISOString()}\n${fingerprintOf(compromised)}\n`);
    sighup(s);
    await untilReloaded(s, before);
    await untilReadiness(s, 200);
    await traffic.settled(120_000, 'action_required', heldAgain);
    log.push(
      `the credentials revoked after a compromise, new ones issued (key pair and client secret): installed by atomic file replacement and SIGHUP, the old key listed as revoked; ${String(heldAgain.length)} charges held meanwhile, then completed`,
    );

    // The compromised key put back by mistake: the workers refuse it themselves and send nothing with
    // it. A notification arriving meanwhile cannot be confirmed without it: the worker holding the order
    // answers 503 (Midtrans retries); one that does not hands it to the owner (200), which asks again
    // itself until it can — and the simulator hears nothing from either worker.
    const beforeReuse = reloads(s);
    replaceFile(files.privateKey, compromised);
    await untilReloaded(s, beforeReuse);
    const reuse = await untilReadiness(s, 503, REFUSED);
    const sentBefore = s.simulator.sim.requests.length;
    const forwardedBefore = s.forwarder.forwarded.length;
    const wave = await traffic.send(PER_WAVE * 2, { pay: false });
    const probe = traffic.charges[0] as PaymentCommand;
    // A notification it has not had before (a refund it did not ask for): an identical copy of one
    // already confirmed would be answered from the ingress' replay window, with no inquiry needed.
    await admin.renotify({ orderId: probe.orderId }, '04');
    await until(
      () => {
        const answered = s.forwarder.forwarded.slice(forwardedBefore).map((f) => f.status);
        return answered.filter((st) => st === 503).length >= 2 || answered.includes(200);
      },
      () => `notifications answered meanwhile: ${JSON.stringify(s.forwarder.forwarded.slice(forwardedBefore).map((f) => f.status))}`,
      { timeoutMs: 60_000 },
    );
    // Card tokens are the customers' own requests (Midtrans' JS in the shop page), not the workers'.
    const reachedMidtrans = s.simulator.sim.requests
      .slice(sentBefore)
      .filter((r) => r.path.startsWith('/v1.0/') || (r.path.startsWith('/v2/') && r.path !== '/v2/token'));
    expect(reachedMidtrans).toEqual([]);
    expect(traffic.reached('action_required', wave).map((c) => c.orderId)).toEqual([]);
    const beforeRestore = reloads(s);
    replaceFile(files.privateKey, fresh.privateKeyPem);
    await untilReloaded(s, beforeRestore);
    await untilReadiness(s, 200);
    await s.payWhenAsked(
      wave.map((c) => c.orderId),
      { timeoutMs: 120_000 },
    );
    log.push(
      `the compromised key put back by mistake: both workers marked the credentials revoked themselves (/readyz "${reuse[0]?.reasons.join('; ') ?? ''}"), sent Midtrans nothing and confirmed no notification until the new key was back; ${String(wave.length)} charges held meanwhile`,
    );

    await waves(traffic, WAVES);
    await traffic.settled(300_000);
    const figures = conclude(s, { scenario: 'credentials', charges: traffic.charges, startedAt, faults: log });
    expectClean(figures);
    expectChargedOnce(s, traffic.charges);
  });
});
