// Secrets and key files through the real CLI, run as an operator runs it (`node …/main.ts`): a secret
// pasted into any `…File` field never appears in what `config check` or `worker` print or log; private
// files others may read are refused with the fix; revoked client secrets and server keys stop the worker.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-cli-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

const rsa = (): { privatePem: string; publicPem: string } => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};
const merchant = rsa();
const secrets = {
  clientSecret: randomBytes(24).toString('base64url'),
  serverKey: `SB-Mid-server-${randomBytes(12).toString('hex')}`,
  encryptionKey: randomBytes(32).toString('base64'),
};
const files = {
  privateKey: file('merchant.pem', merchant.privatePem),
  clientSecret: file('client-secret', `${secrets.clientSecret}\n`),
  serverKey: file('server-key', secrets.serverKey),
  midtransKey: file('midtrans.pub.pem', rsa().publicPem, 0o644),
  signing: file('event-signing.pem', generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })),
  encryption: file('event-encryption.key', secrets.encryptionKey),
  revocationList: file('revoked.txt', '# nothing revoked\n', 0o644),
  tlsKey: file('tls.key', rsa().privatePem),
  tlsCert: file('tls.crt', rsa().publicPem, 0o644),
};

type Config = { core: { merchants: { default: Record<string, string> } } & Record<string, unknown> } & Record<string, unknown>;

function baseConfig(): Config {
  return {
    kafka: { brokers: [process.env['KAFKA_BROKERS'] ?? '127.0.0.1:19092'], topicPrefix: `cli-secrets-${randomBytes(4).toString('hex')}.` },
    plugins: ['gopay'],
    core: {
      snapBaseUrl: 'https://127.0.0.1:9',
      coreBaseUrl: 'https://127.0.0.1:9',
      merchants: {
        default: {
          clientId: 'c-1',
          partnerId: 'p-1',
          channelId: '12345',
          privateKeyFile: files.privateKey,
          clientSecretFile: files.clientSecret,
          serverKeyFile: files.serverKey,
        },
      },
      midtransPublicKeyFiles: [files.midtransKey],
      revocationListFile: files.revocationList,
      events: { signingKeyFiles: [files.signing], encryptionKeyFiles: [files.encryption] },
    },
  };
}

function configFile(config: Config): string {
  return file(`config-${randomBytes(6).toString('hex')}.json`, JSON.stringify(config));
}

/** Every `…File` field of the configuration, each a way to put a value into it. */
const FIELDS: Record<string, (c: Config, v: string) => void> = {
  'merchants.default.privateKeyFile': (c, v) => (c.core.merchants.default['privateKeyFile'] = v),
  'merchants.default.clientSecretFile': (c, v) => (c.core.merchants.default['clientSecretFile'] = v),
  'merchants.default.serverKeyFile': (c, v) => (c.core.merchants.default['serverKeyFile'] = v),
  'midtransPublicKeyFiles.0': (c, v) => (c.core['midtransPublicKeyFiles'] = [v]),
  revocationListFile: (c, v) => (c.core['revocationListFile'] = v),
  'events.signingKeyFiles.0': (c, v) => (c.core['events'] = { signingKeyFiles: [v], encryptionKeyFiles: [files.encryption] }),
  'events.encryptionKeyFiles.0': (c, v) => (c.core['events'] = { signingKeyFiles: [files.signing], encryptionKeyFiles: [v] }),
  'tls.caFiles.0': (c, v) => (c.core['tls'] = { caFiles: [v] }),
  'tls.clientCertFile': (c, v) => (c.core['tls'] = { clientCertFile: v, clientKeyFile: files.tlsKey }),
  'tls.clientKeyFile': (c, v) => (c.core['tls'] = { clientCertFile: files.tlsCert, clientKeyFile: v }),
  'ingress.tlsCertFile': (c, v) => (c['ingress'] = { tlsCertFile: v, tlsKeyFile: files.tlsKey }),
  'ingress.tlsKeyFile': (c, v) => (c['ingress'] = { tlsCertFile: files.tlsCert, tlsKeyFile: v }),
};

/** What a pasted secret looks like: base64 with `/` and `+`, so it even passes for a path. */
const pasted = (): string => `${randomBytes(18).toString('base64')}/+${randomBytes(9).toString('base64')}`;

async function pasteInto(field: string, command: 'config check' | 'worker', secret = pasted()): Promise<void> {
  const config = baseConfig();
  FIELDS[field]?.(config, secret);
  const r = await cli([...command.split(' '), '--config', configFile(config)]);
  expect(r.code, `${command} with a secret in ${field}:\n${r.output}`).toBe(78);
  expect(r.output).toContain(field);
  expect(r.output).toMatch(/PS_ERR_KEY_MISSING/);
  for (const part of [secret, ...secret.split(/[/+\n]/).filter((p) => p.length >= 12)])
    expect(r.output, `${command}: ${field}`).not.toContain(part);
}

describe('a secret pasted into a …File field', () => {
  it('is never printed by config check, for every field', { timeout: 300_000 }, async () => {
    for (const field of Object.keys(FIELDS)) await pasteInto(field, 'config check');
  });

  it('is never printed or logged by paystream worker, for every field core reads', { timeout: 300_000 }, async () => {
    for (const field of Object.keys(FIELDS).filter((f) => !f.startsWith('ingress.'))) await pasteInto(field, 'worker');
  });

  it('is never printed or logged by paystream worker, for the ingress TLS files', { timeout: 120_000 }, async () => {
    for (const field of ['ingress.tlsCertFile', 'ingress.tlsKeyFile']) await pasteInto(field, 'worker');
  });

  it('nor is a whole private key pasted in place of its path', { timeout: 120_000 }, async () => {
    for (const command of ['config check', 'worker'] as const)
      await pasteInto('merchants.default.privateKeyFile', command, merchant.privatePem);
  });

  it('config check prints the configuration with its file names and no secret value', async () => {
    const r = await cli(['config', 'check', '--config', configFile(baseConfig())]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(files.clientSecret);
    const privateKeyLine = merchant.privatePem.split('\n')[1] ?? '';
    for (const value of [secrets.clientSecret, secrets.serverKey, secrets.encryptionKey, privateKeyLine])
      expect(r.output).not.toContain(value);
  });
});

describe('key file permissions', () => {
  it(
    'refuses a 0644 private key with the chmod that fixes it, and accepts it with allowInsecureKeyFilePermissions (flag, environment, file)',
    { timeout: 120_000 },
    async () => {
      const exposed = file('exposed-merchant.pem', merchant.privatePem, 0o644);
      const config = baseConfig();
      config.core.merchants.default['privateKeyFile'] = exposed;
      const path = configFile(config);
      for (const command of [['config', 'check'], ['worker']]) {
        const refused = await cli([...command, '--config', path]);
        expect(refused.code).toBe(78);
        expect(refused.output).toContain(
          'PS_ERR_KEY_PERMISSIONS: merchants.default.privateKeyFile: the file is readable or writable by group or others (mode 0644)',
        );
        expect(refused.output).toContain(`chmod 600 ${exposed}`);
      }
      expect((await cli(['config', 'check', '--config', path, '--allow-insecure-key-file-permissions'])).code).toBe(0);
      expect((await cli(['config', 'check', '--config', path], { PAYSTREAM_ALLOW_INSECURE_KEY_FILE_PERMISSIONS: 'true' })).code).toBe(0);
      expect((await cli(['config', 'check', '--config', configFile({ ...config, allowInsecureKeyFilePermissions: true })])).code).toBe(0);
      expect(
        (
          await cli([
            'config',
            'check',
            '--config',
            configFile({ ...config, core: { ...config.core, allowInsecureKeyFilePermissions: true } }),
          ])
        ).code,
      ).toBe(0);
    },
  );
});

describe('revoked client secrets and server keys', () => {
  it('keys fingerprint prints the SHA-256 of a secret as loaded, never the secret', async () => {
    const r = await cli(['keys', 'fingerprint', files.clientSecret, files.serverKey, files.privateKey, '--json']);
    expect(r.code, r.output).toBe(0);
    const printed = JSON.parse(r.output) as { fingerprint: string; kind: string }[];
    expect(printed.map((p) => p.fingerprint).slice(0, 2)).toEqual(
      [secrets.clientSecret, secrets.serverKey].map((s) => createHash('sha256').update(s).digest('hex')),
    );
    expect(printed[2]?.kind).toBe('rsa key (SPKI)');
    for (const value of [secrets.clientSecret, secrets.serverKey]) expect(r.output).not.toContain(value);
  });

  it('a secret pasted where a file, an option or a command belongs is never repeated back', async () => {
    const pasted = `A${secrets.clientSecret}`;
    const missing = await cli(['keys', 'fingerprint', pasted]);
    expect(missing.code).toBe(78);
    expect(missing.output).toContain('argument 1: cannot read the file it names');
    for (const args of [
      ['keys', 'fingerprint', `--${pasted}`],
      ['keys', 'fingerprint', files.serverKey, `-${pasted}`],
      ['keys', pasted],
      [pasted],
    ]) {
      const r = await cli(args);
      expect(r.code, r.output).toBe(2);
      expect(r.output).toMatch(/not repeated back/);
      expect(r.output).not.toContain(pasted.slice(1, 12));
    }
    expect((await cli(['keys', 'fingerprint', files.serverKey, `-${pasted}`])).output).toContain('argument 2 is not an option');
  });

  it('paystream worker refuses to start with a revoked client secret or server key', { timeout: 120_000 }, async () => {
    for (const [part, secret] of [
      ['client secret', secrets.clientSecret],
      ['server key', secrets.serverKey],
    ] as const) {
      const fingerprint =
        (await cli(['keys', 'fingerprint', part === 'client secret' ? files.clientSecret : files.serverKey])).output.split(' ')[0] ?? '';
      const config = baseConfig();
      config.core['revocationListFile'] = file(`revoked-${part.replace(' ', '-')}.txt`, `# leaked\n${fingerprint}\n`, 0o644);
      const r = await cli(['worker', '--config', configFile(config)]);
      expect(r.code, r.output).toBe(78);
      expect(r.output).toContain(`PS_ERR_KEY_REVOKED: the ${part} of merchant "default" is revoked`);
      expect(r.output).not.toContain(secret);
    }
  });
});
