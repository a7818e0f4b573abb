// Every key rotated while charges flow through two workers, none causing a failed command, a paused
// consumer or a refused notification: the merchant private key (the new public key registered at
// Midtrans first, the old one retired after the workers picked up the new file), the client secret
// (the old one valid through the transition, SIGHUP), Midtrans' notification key (the announced key
// trusted in a second slot before Midtrans signs with it, the old one revoked after the overlap) and
// the workers' event-signing key (the new public key given to downstream first; events signed before
// stay verifiable). Nothing is restarted. Every order ends succeeded once, charged once, every event
// verified downstream, and no secret of the run — old or new — appears in what the workers emitted.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { PublishedKey } from '@paystream/contracts';
import { keyId } from '@paystream/core';
import { describeFindings, secretScanner } from '@paystream/security-tests';
import { readLogLines, startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fingerprintOf, merchantKeyPair, reloads, replaceFile, sighup, untilReloaded, watchReadiness } from '../src/operator.ts';
import { sized } from '../src/record.ts';
import { conclude, expectClean, runTag } from '../src/scenario.ts';
import { expectChargedOnce, logRecords, Traffic } from '../src/traffic.ts';

const METHODS = ['gopay', 'qris', 'card-3ds'] as const;
const PER_WAVE = sized(3, 6);
/** BI-SNAP notifications verified with a Midtrans key before the next step of its rotation. */
const VERIFIED_PER_STEP = sized(3, 10);
/** Charges published after a rotation that must succeed before the next one: the new material at work. */
const SUCCEEDED_PER_STEP = sized(6, 30);
const TOKEN_PATH = '/v1.0/access-token/b2b';

let system: PaystreamSystem | undefined;
/** The operator's key files: one per secret, two slots where a rotation needs two keys at once. */
const files = { privateKey: '', clientSecret: '', midtrans: ['', ''], revocationList: '', signing: ['', ''] };

beforeAll(async () => {
  system = await startSystem({
    name: 'key-rotation',
    brokers: inject('kafkaBrokers'),
    workers: 2,
    plugins: [...METHODS],
    configure: (base, dir) => {
      const keys = join(dir, 'worker-keys');
      const merchant = base.merchants['default'];
      const signing = base.events?.signingKeyFiles?.[0];
      const midtrans = base.midtransPublicKeyFiles[0];
      if (!merchant || !signing || !midtrans)
        throw new Error('the simulator configuration lacks a merchant, an event key or a Midtrans key');
      files.privateKey = join(keys, 'merchant-private.pem');
      files.clientSecret = merchant.clientSecretFile;
      files.midtrans = [join(keys, 'midtrans-1.pem'), join(keys, 'midtrans-2.pem')];
      files.revocationList = join(keys, 'revoked-keys.txt');
      files.signing = [signing, join(keys, 'event-signing-previous.pem')];
      copyFileSync(merchant.privateKeyFile, files.privateKey);
      for (const slot of files.midtrans) copyFileSync(midtrans, slot);
      copyFileSync(signing, files.signing[1] ?? '');
      writeFileSync(files.revocationList, '# SPKI SHA-256 fingerprints of revoked keys\n', { mode: 0o600 });
      return {
        ...base,
        merchants: { default: { ...merchant, privateKeyFile: files.privateKey } },
        midtransPublicKeyFiles: files.midtrans,
        revocationListFile: files.revocationList,
        events: { ...base.events, signingKeyFiles: files.signing },
      };
    },
  });
});

afterAll(async () => {
  await system?.close();
});

const SNAP_NOTIFY = /^\/v1\.0\/(debit\/notify|qr\/qr-mpm-notify)/;

/** Waits until `n` more BI-SNAP notifications than `from` were verified and answered 200. */
async function untilVerified(s: PaystreamSystem, from: number, n: number): Promise<void> {
  const count = (): number => s.forwarder.forwarded.slice(from).filter((f) => SNAP_NOTIFY.test(f.path) && f.status === 200).length;
  await until(
    () => count() >= n,
    () => `${String(count())} of ${String(n)} BI-SNAP notifications verified since the step`,
    { timeoutMs: 120_000 },
  );
}

/** Midtrans' requests answered since `from` on these paths, by status. */
function answers(s: PaystreamSystem, from: number, match: (path: string) => boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of s.simulator.sim.requests.slice(from)) if (match(r.path)) out[String(r.status)] = (out[String(r.status)] ?? 0) + 1;
  return out;
}

function ed25519(): { pem: string; published: PublishedKey } {
  const privateKey = generateKeyPairSync('ed25519').privateKey;
  const publicKey = createPublicKey(privateKey);
  return {
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    published: { keyId: keyId(publicKey), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  };
}

describe('key-rotation: merchant key, client secret, Midtrans key and event-signing key rotated while charges flow', () => {
  it('fails no command, pauses nothing, refuses no notification, and keeps every event verifiable', async () => {
    const s = system as PaystreamSystem;
    const admin = s.simulator.admin;
    const startedAt = Date.now();
    const traffic = new Traffic(s, { methods: METHODS, tag: runTag('rotation') });
    const log: string[] = [
      `2 workers; charges over ${METHODS.join(', ')}, ${String(PER_WAVE)} a second all through, customers paying as asked`,
    ];
    const secrets = {
      privateKeys: [s.simulator.sim.credentials.merchantPrivateKeyPem ?? '', readFileSync(files.signing[0] ?? '', 'utf8')],
      values: { 'client secret 1': s.simulator.sim.credentials.clientSecret } as Record<string, string>,
    };
    let requests = 0;
    const watch = watchReadiness(s, 250);
    const succeededSince = async (): Promise<void> => {
      const mark = traffic.charges.length;
      await until(
        () => traffic.reached('succeeded', traffic.charges.slice(mark)).length >= SUCCEEDED_PER_STEP,
        () =>
          `${String(traffic.reached('succeeded', traffic.charges.slice(mark)).length)} of ${String(SUCCEEDED_PER_STEP)} charges after the step succeeded`,
        { timeoutMs: 120_000 },
      );
    };

    await traffic.send(PER_WAVE);
    await traffic.settled(120_000, 'action_required');
    await traffic.during(
      async () => {
        {
          // The merchant key: registered at Midtrans first, then the file replaced (picked up by the
          // workers' file watch), then the old key retired; fresh tokens prove the new key is in use.
          const merchant = merchantKeyPair();
          secrets.privateKeys.push(merchant.privateKeyPem);
          await admin.ok('POST', '/merchant-public-key', { publicKeyPem: merchant.publicKeyPem });
          let before = reloads(s);
          replaceFile(files.privateKey, merchant.privateKeyPem);
          await untilReloaded(s, before);
          await admin.ok('POST', '/end-transition');
          requests = s.simulator.sim.requests.length;
          await admin.addFault({ kind: 'token-expired', path: '/v1.0/', count: 1 });
          await until(
            () => (answers(s, requests, (p) => p === TOKEN_PATH)['200'] ?? 0) >= s.workers.slots.length,
            () => `token requests since the old key was retired: ${JSON.stringify(answers(s, requests, (p) => p === TOKEN_PATH))}`,
            { timeoutMs: 60_000 },
          );
          log.push(
            `merchant private key: new public key registered at Midtrans, the key file replaced (file watch), the old key retired at Midtrans, every token dropped: tokens ${JSON.stringify(answers(s, requests, (p) => p === TOKEN_PATH))} by status`,
          );

          await succeededSince();

          // The client secret: Midtrans issues a new one, the old stays valid until the transition ends.
          const { clientSecret } = (await admin.ok('POST', '/rotate-client-secret')) as { clientSecret: string };
          secrets.values['client secret 2'] = clientSecret;
          before = reloads(s);
          replaceFile(files.clientSecret, clientSecret);
          sighup(s);
          await untilReloaded(s, before);
          await admin.ok('POST', '/end-transition');
          requests = s.simulator.sim.requests.length;
          const notified = s.forwarder.forwarded.length;
          await untilVerified(s, notified, VERIFIED_PER_STEP);
          log.push(
            `client secret: rotated at Midtrans, the file replaced and SIGHUP, the old secret retired at Midtrans; BI-SNAP calls since ${JSON.stringify(answers(s, requests, (p) => p.startsWith('/v1.0/')))} by status`,
          );

          await succeededSince();

          // Midtrans' notification key: the announced key trusted in the second slot, then Midtrans
          // signs with it, then the old key revoked once the overlap is over.
          const oldMidtrans = s.simulator.sim.credentials.midtransPublicKeyPem;
          const { midtransPublicKeyPem } = (await admin.ok('POST', '/announce-midtrans-key')) as { midtransPublicKeyPem: string };
          before = reloads(s);
          replaceFile(files.midtrans[1] ?? '', midtransPublicKeyPem);
          await untilReloaded(s, before);
          await admin.ok('POST', '/rotate-midtrans-key');
          const rotatedAt = s.forwarder.forwarded.length;
          await untilVerified(s, rotatedAt, VERIFIED_PER_STEP);
          before = reloads(s);
          replaceFile(files.revocationList, `# retired by Midtrans ${new Date().toISOString()}\n${fingerprintOf(oldMidtrans)}\n`);
          await untilReloaded(s, before);
          const revokedAt = s.forwarder.forwarded.length;
          await untilVerified(s, revokedAt, VERIFIED_PER_STEP);
          log.push(
            `Midtrans public key: the announced key trusted in a second slot (file watch), Midtrans signing with it, the old key then revoked; ${String(VERIFIED_PER_STEP)}+ notifications verified after each step`,
          );

          await succeededSince();

          // The event-signing key: downstream is given the new public key, then the workers sign with
          // it; the old key stays in the second slot, published for the events it signed.
          const events = ed25519();
          secrets.privateKeys.push(events.pem);
          s.results.trust(events.published);
          before = reloads(s);
          replaceFile(files.signing[1] ?? '', readFileSync(files.signing[0] ?? '', 'utf8'));
          replaceFile(files.signing[0] ?? '', events.pem);
          await untilReloaded(s, before);
          const wanted = JSON.stringify([events.published.keyId, keyId(createPublicKey(secrets.privateKeys[1] ?? ''))]);
          const publishedBy = (): string[] =>
            s.workers.slots.map((slot) =>
              JSON.stringify(
                readLogLines([slot.stdoutFile])
                  .filter((l) => l.json?.['msg'] === 'key material reloaded')
                  .at(-1)?.json?.['eventSigningKeys'],
              ),
            );
          await until(
            () => publishedBy().every((p) => p === wanted),
            () => `the workers publish ${JSON.stringify(publishedBy())}, not ${wanted}`,
            { timeoutMs: 60_000 },
          );
          await until(
            () => s.results.rawResults.some((r) => r.includes(`"paystreamkid":"${events.published.keyId}"`)),
            () => 'no event signed with the new event-signing key yet',
            { timeoutMs: 60_000 },
          );
          await succeededSince();
          log.push(
            `event-signing key: the new public key given to downstream, then the key files replaced (file watch); both workers sign with it and publish ${wanted}`,
          );
        }
      },
      { perWave: PER_WAVE, gapMs: 1_000 },
    );
    await traffic.settled(300_000);
    const unready = await watch.stop();

    const kids = new Set(s.results.rawResults.map((r) => /"paystreamkid":"([^"]+)"/.exec(r)?.[1]));
    log.push(
      `${String(traffic.charges.length)} charges; events signed with ${String(kids.size)} keys, every one verified with only the published keys`,
    );
    const figures = conclude(s, { scenario: 'key-rotation', charges: traffic.charges, startedAt, faults: log });

    expectClean(figures);
    expectChargedOnce(s, traffic.charges);
    // A rotation's business is the credentials and Midtrans' answers, not Kafka on a loaded machine.
    expect(
      unready.filter((u) => /credentials|circuit breaker/.test(u)),
      'a worker reported refused credentials or an open breaker during the rotations',
    ).toEqual([]);
    expect(logRecords(s, 'Midtrans refuses the credentials: consumption of their plugins pauses')).toEqual([]);
    expect(s.forwarder.forwarded.filter((f) => f.status === 401).map((f) => f.path)).toEqual([]);
    // 401xx01 is the dropped token, refreshed; 401xx00 would be a signature Midtrans refused.
    expect(s.simulator.sim.requests.filter((r) => r.status === 401 && r.responseCode?.endsWith('00'))).toEqual([]);
    expect(kids.size).toBe(2);
    const scanner = secretScanner({
      privateKeys: secrets.privateKeys,
      values: { ...secrets.values, 'server key': s.simulator.sim.credentials.serverKey },
    });
    const leaks = [
      ...s.workerLogs().flatMap((l) => describeFindings(scanner.scan(l.text), `${l.file}:${String(l.line)}`)),
      ...s.results.rawResults.flatMap((r, i) => describeFindings(scanner.scan(r), `event #${String(i)}`)),
    ];
    expect(leaks).toEqual([]);
  });
});
