// The probe that lets consumption resume after Midtrans refused a credential set, against the
// simulator: it must say "valid" only when Midtrans authenticates what the worker would send — a
// client secret rotated at Midtrans and not yet loaded still gets access tokens, but no signed call.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCore, createLogger, parseCoreConfig, secretFingerprint, type CoreServices } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreConfigFromSimulator } from '../src/config/from-simulator.ts';
import { probeCredentials } from '../src/credentials-probe.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-probe-'));
let sim: Simulator;
let core: CoreServices;
let secretFile = '';
const revocationList = join(dir, 'revoked.txt');

/** The simulator's admin API over its HTTPS, trusting its CA. */
function admin(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    const req = request(
      `${sim.adminUrl}${path}`,
      { method: 'POST', ca: sim.caCertPem, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
      },
    );
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

beforeAll(async () => {
  sim = await startSimulator();
  const descriptor = join(dir, 'sim.json');
  writeDescriptor(sim, descriptor);
  writeFileSync(revocationList, '# nothing revoked\n');
  const config = parseCoreConfig({ ...coreConfigFromSimulator(descriptor, join(dir, 'keys')), revocationListFile: revocationList });
  secretFile = config.merchants['default']?.clientSecretFile ?? '';
  core = await createCore(config, {
    logger: createLogger({ name: 't', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() })),
    watchKeys: false,
  });
});

afterAll(async () => {
  await core.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('probeCredentials', () => {
  it('is valid for working credentials on both API families', async () => {
    expect(await probeCredentials(core, 'default', 'snap')).toBe('valid');
    expect(await probeCredentials(core, 'default', 'core')).toBe('valid');
  });

  it('refuses a client secret Midtrans no longer accepts, though access tokens are still issued', async () => {
    const { clientSecret } = await admin('/rotate-client-secret');
    await admin('/end-transition');
    expect(await core.client.tokens.get('default')).toMatch(/./);
    expect(await probeCredentials(core, 'default', 'snap')).toBe('refused');
    writeFileSync(secretFile, String(clientSecret), { mode: 0o600 });
    await core.keyRing.reload();
    expect(await probeCredentials(core, 'default', 'snap')).toBe('valid');
  });

  it('refuses revoked credentials until Midtrans reinstates them', async () => {
    await admin('/revoke');
    expect(await probeCredentials(core, 'default', 'snap')).toBe('refused');
    await admin('/reinstate');
    expect(await probeCredentials(core, 'default', 'snap')).toBe('valid');
  });

  it('refuses a credential set whose client secret or server key lands on the revocation list, on both API families', async () => {
    const serverKeyFile = core.config.merchants['default']?.serverKeyFile ?? '';
    for (const file of [secretFile, serverKeyFile]) {
      writeFileSync(revocationList, `# leaked\nsha256:${secretFingerprint(readFileSync(file, 'utf8'))}\n`);
      await core.keyRing.reload();
      expect(core.keyRing.merchant('default').revoked).toBe(true);
      expect(await probeCredentials(core, 'default', 'snap')).toBe('refused');
      expect(await probeCredentials(core, 'default', 'core')).toBe('refused');
      writeFileSync(revocationList, '');
      await core.keyRing.reload();
      expect(await probeCredentials(core, 'default', 'snap')).toBe('valid');
    }
  });
});
