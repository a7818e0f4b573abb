// The merchant key in an HSM (SoftHSM2 over PKCS#11), generated inside the token as non-extractable
// by `paystream keys generate --pkcs11`. A worker started with a wrong PIN, then with its token
// missing, stays unready with the reason and recovers by itself once the PIN file or the token is
// fixed; then one payment per method, every token signed in the HSM, and no PIN in any output.
import { randomBytes } from 'node:crypto';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import {
  createSoftHsmToken,
  generateMerchantKey,
  runPaystream,
  type CliRun,
  type GeneratedKey,
  type PaystreamSystem,
  type SoftHsmToken,
} from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { payAndVerify } from '../payment-runs.ts';
import { expectOnlyAcceptedTokens, registerOnly, startKeyStoreSystem, unreadyUntilFixed, workerOutput } from './key-store-run.ts';

const said = (run: CliRun): string => run.stdout + run.stderr;

const PIN = `user-${randomBytes(6).toString('hex')}`;
const SO_PIN = `so-${randomBytes(6).toString('hex')}`;
const WRONG_PIN = `wrong-${randomBytes(6).toString('hex')}`;
let token: SoftHsmToken;
let pinFile: string;
let system: PaystreamSystem | undefined;
let key: GeneratedKey;

beforeAll(async () => {
  token = createSoftHsmToken({ label: 'paystream', pin: PIN, soPin: SO_PIN });
  pinFile = join(token.confFile, '..', 'user-pin');
  writeFileSync(pinFile, `${PIN}\n`, { mode: 0o600 });
  const hsm = ['--pkcs11', '--module', token.module, '--token', 'paystream', '--pin-file', pinFile];
  key = await generateMerchantKey([...hsm, '--key-label', 'merchant-2026'], token.env);
  system = await startKeyStoreSystem({
    name: 'key-hsm',
    brokers: inject('kafkaBrokers'),
    merchantKey: { privateKeyFile: key.keyFile },
    core: { keyStores: { pkcs11: { module: token.module, pinFile } } },
    env: token.env,
  });
}, 240_000);

afterAll(async () => {
  await system?.close();
  token.remove();
});

describe('the merchant key in an HSM over PKCS#11', () => {
  it('stays unready on a wrong PIN and a missing token, recovers when fixed, then pays one order per method', async () => {
    const s = system as PaystreamSystem;
    await registerOnly(s, key.publicKeyPem);
    const wrongPin = await unreadyUntilFixed(s, {
      breakIt: () => writeFileSync(pinFile, WRONG_PIN),
      reason: /credentials refused: default\/snap \(.*pkcs11 token "paystream" key "merchant-2026".*CKR_PIN_INCORRECT/,
      fixIt: () => writeFileSync(pinFile, PIN),
    });
    // A token is a folder of the token directory: taking it out is pulling the HSM's token.
    const [folder] = readdirSync(token.tokenDir);
    const inside = join(token.tokenDir, folder ?? '');
    const outside = join(token.tokenDir, '..', 'pulled-token');
    const missing = await unreadyUntilFixed(s, {
      breakIt: () => renameSync(inside, outside),
      reason: /credentials refused: default\/snap \(.*no token labelled "paystream" is present/,
      fixIt: () => renameSync(outside, inside),
    });
    await payAndVerify(s, 6, 'hsm-key');
    expectOnlyAcceptedTokens(s);

    // The operator's checks open a session and sign a probe, as the worker does.
    const config = ['--config', join(s.dir, 'worker-config.json'), '--brokers', inject('kafkaBrokers').join(',')];
    const check = await runPaystream(['keys', 'check', ...config], token.env);
    expect(check.code, said(check)).toBe(0);
    expect(said(check)).toMatch(
      new RegExp(
        `^ok +default: pkcs11 \\(pkcs11 token "paystream" key "merchant-2026" id [0-9a-f]+\\), SPKI SHA-256 ${key.fingerprint}, probe signature verified$`,
        'm',
      ),
    );
    writeFileSync(pinFile, WRONG_PIN);
    const refused = await runPaystream(['config', 'check', ...config], token.env);
    writeFileSync(pinFile, PIN);
    expect(refused.code, said(refused)).toBe(69);
    expect(said(refused)).toContain('the token refused the PIN (CKR_PIN_INCORRECT)');
    const output = [workerOutput(s), said(check), said(refused), ...wrongPin, ...missing].join('\n');
    for (const pin of [PIN, SO_PIN, WRONG_PIN]) expect(output).not.toContain(pin);
  });
});
