// The merchant key in AWS KMS (the local KMS emulator on loopback): created by `paystream keys
// generate --kms`, non-extractable by KMS' nature. A worker started while KMS is unreachable stays
// unready with the reason and recovers by itself once KMS is back; then one payment per method, every
// token signed by KMS, and the AWS secret nowhere in what the worker wrote.
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import {
  startLocalKms,
  type LocalKms,
  generateMerchantKey,
  runPaystream,
  type CliRun,
  type GeneratedKey,
  type PaystreamSystem,
} from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { payAndVerify } from '../payment-runs.ts';
import { expectOnlyAcceptedTokens, registerOnly, startKeyStoreSystem, unreadyUntilFixed, workerOutput } from './key-store-run.ts';

const said = (run: CliRun): string => run.stdout + run.stderr;

let kms: LocalKms;
let system: PaystreamSystem | undefined;
let key: GeneratedKey;

beforeAll(async () => {
  kms = await startLocalKms();
  key = await generateMerchantKey(['--kms', '--alias', 'alias/paystream-e2e', '--endpoint', kms.endpoint, '--region', kms.region], kms.env);
  system = await startKeyStoreSystem({
    name: 'key-kms',
    brokers: inject('kafkaBrokers'),
    merchantKey: { privateKeyFile: key.keyFile },
    core: { keyStores: { kms: { endpoint: kms.endpoint, region: kms.region, timeoutMs: 2_000 } } },
    env: kms.env,
  });
}, 240_000);

afterAll(async () => {
  await system?.close();
  await kms.stop();
});

describe('the merchant key in AWS KMS', () => {
  it('keeps a worker unready while KMS is unreachable, recovers when it is back, then pays one order per method', async () => {
    const s = system as PaystreamSystem;
    await registerOnly(s, key.publicKeyPem);
    const reasons = await unreadyUntilFixed(s, {
      breakIt: () => kms.kill(),
      reason: /credentials refused: default\/snap \(.*KMS unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
      fixIt: () => kms.restart(),
    });
    expect(reasons.join('\n')).not.toMatch(/AWS_SECRET|aws_secret_access_key/i);
    await payAndVerify(s, 6, 'kms-key');
    expectOnlyAcceptedTokens(s);

    // The operator's checks sign a probe through KMS, as the worker does.
    const config = ['--config', join(s.dir, 'worker-config.json'), '--brokers', inject('kafkaBrokers').join(',')];
    const check = await runPaystream(['keys', 'check', ...config], kms.env);
    expect(check.code, said(check)).toBe(0);
    expect(said(check)).toContain(
      `default: kms (aws-kms key alias/paystream-e2e (${kms.region}) at ${kms.endpoint}), SPKI SHA-256 ${key.fingerprint}, probe signature verified`,
    );
    kms.kill();
    const refused = await runPaystream(['config', 'check', ...config], kms.env);
    await kms.restart();
    expect(refused.code, said(refused)).toBe(69);
    expect(said(refused)).toContain(`KMS unreachable at ${kms.endpoint} (ECONNREFUSED)`);
    const output = [workerOutput(s), said(check), said(refused)].join('\n');
    for (const secret of [kms.env['AWS_SECRET_ACCESS_KEY'], kms.env['AWS_ACCESS_KEY_ID']]) if (secret) expect(output).not.toContain(secret);
  });
});
