// `commands.auth` in the worker's one configuration: validated by its schema with errors that name
// the setting and never the value, and shown by `config check` after every upstream key is loaded.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandKeyId, containsCardNumber, spkiFingerprint } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { loadWorkerConfig } from '../src/config/worker-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-command-auth-config-'));
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function configFile(commands: unknown): string {
  const file = join(dir, `config-${String(Math.random()).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ simulator: join(dir, 'sim.json'), plugins: ['gopay'], commands }));
  return file;
}

const errorOf = (file: string): string => {
  try {
    loadWorkerConfig({ env: {}, file });
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
};

describe('commands.auth in the configuration', () => {
  it('defaults to unsigned commands accepted, with no upstream', () => {
    expect(loadWorkerConfig({ env: {} }).config.commands.auth).toEqual({ required: false, upstreams: [], revokedKeyFingerprints: [] });
  });

  it('is required through PAYSTREAM_COMMANDS_AUTH_REQUIRED too, which then needs an upstream in the file', () => {
    const upstreams = [{ name: 'checkout', publicKeyFiles: ['/k.pem'], methods: ['gopay'], types: ['payment.charge'] }];
    const env = { PAYSTREAM_COMMANDS_AUTH_REQUIRED: 'true' };
    expect(loadWorkerConfig({ env, file: configFile({ auth: { upstreams } }) }).config.commands.auth.required).toBe(true);
    expect(() => loadWorkerConfig({ env, file: configFile({}) })).toThrow('at least one upstream must be allowed to sign');
  });

  it('names each bad setting by its path and never repeats its value', () => {
    const secretLooking = 'c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtYmUtZWNob2Vk';
    const file = configFile({
      auth: {
        required: true,
        upstreams: [
          { name: 'checkout', publicKeyFiles: ['/k.pem'], methods: ['gopay'], types: [secretLooking] },
          { name: 'checkout', publicKeyFiles: [], methods: ['gopay'], types: ['payment.refund'] },
        ],
        revokedKeyFingerprints: [secretLooking],
      },
    });
    const message = errorOf(file);
    expect(message).toContain('commands.auth.upstreams.0.types.0');
    expect(message).toContain('commands.auth.upstreams.1.publicKeyFiles');
    expect(message).toContain('commands.auth.revokedKeyFingerprints.0');
    expect(message).not.toContain(secretLooking);
    const twice = { name: 'checkout', publicKeyFiles: ['/k.pem'], methods: ['gopay'], types: ['payment.charge'] };
    expect(errorOf(configFile({ auth: { upstreams: [twice, twice] } }))).toContain(
      'commands.auth.upstreams.1.name): another upstream has this name',
    );
    expect(errorOf(configFile({ auth: { required: true } }))).toContain(
      'commands.auth.upstreams: required is set, so at least one upstream must be allowed to sign',
    );
  });

  it('is shown by config check with every upstream key loaded: id, fingerprint, upstream, revoked', async () => {
    let pair = generateKeyPairSync('ed25519');
    while (containsCardNumber(commandKeyId(pair.publicKey))) pair = generateKeyPairSync('ed25519');
    const publicFile = join(dir, 'checkout.pub.pem');
    writeFileSync(publicFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const fingerprint = spkiFingerprint(pair.publicKey);
    const upstreams = [{ name: 'checkout', publicKeyFiles: [publicFile], methods: ['gopay'], types: ['payment.charge'] }];
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    try {
      const ok = await main([
        'config',
        'check',
        '--json',
        '--config',
        configFile({ auth: { required: true, upstreams, revokedKeyFingerprints: [fingerprint] } }),
      ]);
      expect(ok, out.join('\n')).toBe(0);
      const report = JSON.parse(out.join('\n')) as { commandKeys: unknown };
      expect(report.commandKeys).toEqual({
        required: true,
        keys: [{ keyId: commandKeyId(pair.publicKey), sha256: fingerprint, upstream: 'checkout', revoked: true }],
      });
      out.length = 0;
      const missing = [{ ...upstreams[0], publicKeyFiles: [join(dir, 'absent.pem')] }];
      expect(await main(['config', 'check', '--config', configFile({ auth: { upstreams: missing } })])).toBe(78);
      expect(out.join('\n')).toContain('commands.auth.upstreams.0.publicKeyFiles.0: cannot read the file it names (no such file)');
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  });
});
