// The merchant key rotated from one HSM key to another while charges flow through two workers: the
// new key generated inside the token (SoftHSM2 over PKCS#11, non-extractable), its public key
// registered at Midtrans first, the key reference file replaced (picked up by the workers' file
// watch), the old key retired at Midtrans and then revoked by its fingerprint. Nothing is
// restarted. No command fails, no consumer pauses, every token after the retirement is signed in the
// HSM by the new key, and no PIN appears in what the workers emitted.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import {
  createSoftHsmToken,
  generateMerchantKey,
  startSystem,
  until,
  type PaystreamSystem,
  type SoftHsmToken,
} from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reloads, replaceFile, untilReloaded, watchReadiness } from '../src/operator.ts';
import { sized } from '../src/record.ts';
import { conclude, expectClean, runTag } from '../src/scenario.ts';
import { expectChargedOnce, logRecords, Traffic } from '../src/traffic.ts';

const METHODS = ['gopay', 'qris', 'card-3ds'] as const;
const PER_WAVE = sized(3, 6);
const SUCCEEDED_PER_STEP = sized(6, 30);
const TOKEN_PATH = '/v1.0/access-token/b2b';
const PIN = `user-${randomBytes(6).toString('hex')}`;

let token: SoftHsmToken;
let pinFile: string;
let system: PaystreamSystem | undefined;
/** The worker's privateKeyFile: the key reference file the rotation replaces. */
let keyFile: string;

interface HsmKey {
  readonly reference: string;
  readonly publicKeyPem: string;
  readonly fingerprint: string;
}

/** `paystream keys generate --pkcs11`, as the operator runs it: the key made inside the token. */
async function generateInHsm(label: string): Promise<HsmKey> {
  const hsm = ['--pkcs11', '--module', token.module, '--token', 'paystream', '--key-label', label, '--pin-file', pinFile];
  const key = await generateMerchantKey(hsm, token.env);
  return { reference: readFileSync(key.keyFile, 'utf8'), publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint };
}

let first: HsmKey;
let revocationList: string;

beforeAll(async () => {
  token = createSoftHsmToken({ label: 'paystream', pin: PIN, soPin: `so-${randomBytes(6).toString('hex')}` });
  pinFile = join(token.confFile, '..', 'user-pin');
  writeFileSync(pinFile, PIN, { mode: 0o600 });
  first = await generateInHsm('merchant-2026');
  system = await startSystem({
    name: 'hsm-key-rotation',
    brokers: inject('kafkaBrokers'),
    workers: 2,
    plugins: [...METHODS],
    env: { ...token.env, PAYSTREAM_CREDENTIALS_PROBE_MS: '1000' },
    configure: (base, dir) => {
      const merchant = base.merchants['default'];
      if (!merchant) throw new Error('the simulator configuration lacks a merchant');
      keyFile = join(dir, 'worker-keys', 'merchant-key.ref');
      revocationList = join(dir, 'worker-keys', 'revoked-keys.txt');
      writeFileSync(keyFile, first.reference, { mode: 0o600 });
      writeFileSync(revocationList, '# SPKI SHA-256 fingerprints of revoked keys\n', { mode: 0o600 });
      return {
        ...base,
        merchants: { default: { ...merchant, privateKeyFile: keyFile } },
        keyStores: { pkcs11: { module: token.module, pinFile } },
        revocationListFile: revocationList,
      };
    },
  });
  await system.simulator.admin.ok('POST', '/merchant-public-key', { publicKeyPem: first.publicKeyPem });
  await system.simulator.admin.ok('POST', '/end-transition');
}, 300_000);

afterAll(async () => {
  await system?.close();
  token.remove();
});

function tokenAnswers(s: PaystreamSystem, from: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of s.simulator.sim.requests.slice(from)) if (r.path === TOKEN_PATH) out[String(r.status)] = (out[String(r.status)] ?? 0) + 1;
  return out;
}

describe('hsm-key-rotation: the merchant key rotated from one HSM key to another while charges flow', () => {
  it('fails no command, pauses nothing, and signs every later token with the new HSM key', async () => {
    const s = system as PaystreamSystem;
    const admin = s.simulator.admin;
    const startedAt = Date.now();
    const traffic = new Traffic(s, { methods: METHODS, tag: runTag('hsm-rotation') });
    const log = [`2 workers, the merchant key in SoftHSM2 (PKCS#11); charges over ${METHODS.join(', ')}, ${String(PER_WAVE)} a second`];
    const watch = watchReadiness(s, 250);
    let retiredAt = 0;
    await traffic.send(PER_WAVE);
    await traffic.settled(120_000, 'action_required');
    await traffic.during(
      async () => {
        const next = await generateInHsm('merchant-2027');
        await admin.ok('POST', '/merchant-public-key', { publicKeyPem: next.publicKeyPem });
        let before = reloads(s);
        replaceFile(keyFile, next.reference);
        await untilReloaded(s, before);
        await admin.ok('POST', '/end-transition');
        retiredAt = s.simulator.sim.requests.length;
        await admin.addFault({ kind: 'token-expired', path: '/v1.0/', count: 1 });
        await until(
          () => (tokenAnswers(s, retiredAt)['200'] ?? 0) >= s.workers.slots.length,
          () => `token requests since the old key was retired: ${JSON.stringify(tokenAnswers(s, retiredAt))}`,
          { timeoutMs: 60_000 },
        );
        before = reloads(s);
        replaceFile(revocationList, `# retired 2027 rotation\n${first.fingerprint}\n`);
        await untilReloaded(s, before);
        const mark = traffic.charges.length;
        await until(
          () => traffic.reached('succeeded', traffic.charges.slice(mark)).length >= SUCCEEDED_PER_STEP,
          () => `${String(traffic.reached('succeeded', traffic.charges.slice(mark)).length)} charges succeeded after the revocation`,
          { timeoutMs: 120_000 },
        );
        log.push(
          `new key generated in the token, registered at Midtrans, the key reference replaced (file watch), the old key retired at Midtrans and revoked by fingerprint: tokens since ${JSON.stringify(tokenAnswers(s, retiredAt))} by status`,
        );
      },
      { perWave: PER_WAVE, gapMs: 1_000 },
    );
    await traffic.settled(300_000);
    const unready = await watch.stop();
    const figures = conclude(s, { scenario: 'hsm-key-rotation', charges: traffic.charges, startedAt, faults: log });

    expectClean(figures);
    expectChargedOnce(s, traffic.charges);
    expect(unready.filter((u) => /credentials|circuit breaker|HSM/.test(u))).toEqual([]);
    expect(logRecords(s, 'the merchant key cannot sign: consumption of its plugins pauses')).toEqual([]);
    // After the retirement Midtrans accepts only the new key: every token it issued proves an HSM signature by it.
    expect(tokenAnswers(s, retiredAt)).toEqual({ '200': expect.any(Number) as unknown });
    expect(s.simulator.sim.requests.filter((r) => r.status === 401 && r.responseCode?.endsWith('00'))).toEqual([]);
    expect(s.workerLogs().filter((l) => l.text.includes(PIN))).toEqual([]);
  });
});
