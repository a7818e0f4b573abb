// The KMS signer against a real KMS emulator (local-kms), never real AWS: its signatures verify, a
// wrong or unknown key is refused, and an outage leaves the signer unready until KMS is back.
import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient, UpdateAliasCommand } from '@aws-sdk/client-kms';
import { Cleanup, freePort, startLocalKms, type LocalKms } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PaystreamError } from '../../errors.ts';
import { spkiFingerprint } from '../pem.ts';
import { generateKmsKey, KmsSigner, type KmsSignerOptions } from './kms-signer.ts';

const run = promisify(execFile);
const ALIAS = 'alias/paystream-merchant';
const TOKEN_STRING = Buffer.from('G-MERCHANT-CLIENT-ID|2026-12-07T19:48:00+07:00');
const cleanup = new Cleanup();
let kms: LocalKms;
let merchant: { keyId: string; publicKey: KeyObject };

beforeAll(async () => {
  kms = await startLocalKms({ cleanup }); // builds local-kms on the first run (about 20 s)
  for (const [name, value] of Object.entries(kms.env)) vi.stubEnv(name, value);
  merchant = await generateKmsKey({ region: kms.region, endpoint: kms.endpoint, alias: ALIAS, description: 'merchant key' });
}, 180_000);

afterAll(async () => {
  await cleanup.run();
  vi.unstubAllEnvs();
});

function kmsSigner(options: Partial<KmsSignerOptions> = {}): KmsSigner {
  const signer = new KmsSigner({
    keyId: ALIAS,
    region: kms.region,
    endpoint: kms.endpoint,
    publicKey: merchant.publicKey,
    what: 'The private key of merchant "default"',
    ...options,
  });
  cleanup.add('close a KMS signer', () => signer.close());
  return signer;
}

/** The signer's rejection, which must be a KeyError of `code`. */
async function refusal(signer: KmsSigner, code: string): Promise<PaystreamError> {
  const err: unknown = await signer.sign(TOKEN_STRING).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!PaystreamError.is(err) || err.name !== 'KeyError') throw new Error(`expected a KeyError, got ${String(err)}`);
  expect(err.code).toBe(code);
  return err;
}

function unreadyReason(signer: KmsSigner): string {
  const status = signer.status();
  if (status.ready) throw new Error('the signer reports ready');
  return status.reason;
}

/** Neither the error nor the status may show the emulator's (dummy) credentials. */
function expectNoCredentials(err: PaystreamError, signer: KmsSigner): void {
  for (const text of [err.message, JSON.stringify(err), unreadyReason(signer)]) {
    expect(text).not.toContain(kms.env['AWS_SECRET_ACCESS_KEY']);
    expect(text).not.toContain(kms.env['AWS_ACCESS_KEY_ID']);
  }
}

function emulatorClient(): KMSClient {
  const client = new KMSClient({ region: kms.region, endpoint: kms.endpoint });
  cleanup.add('destroy a KMS client', () => client.destroy());
  return client;
}

describe('KmsSigner against local-kms', () => {
  it('signs with a generated key: SHA256withRSA that Node verifies with the public key', async () => {
    expect(merchant.keyId).toMatch(/^arn:aws:kms:ap-southeast-3:\d{12}:key\/[0-9a-f-]{36}$/);
    expect(merchant.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const signer = kmsSigner();
    const signature = await signer.sign(TOKEN_STRING);
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, signature)).toBe(true);
    expect(signer.status()).toEqual({ ready: true });
    expect(signer.fingerprint).toBe(spkiFingerprint(merchant.publicKey));
    expect(signer.location).toContain(`aws-kms key ${ALIAS} (ap-southeast-3)`);
  });

  it('names the key by its ARN as well as by its alias', async () => {
    const signature = await kmsSigner({ keyId: merchant.keyId }).sign(TOKEN_STRING);
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, signature)).toBe(true);
  });

  it('refuses to generate a key under an alias already in use, and the alias keeps its key', async () => {
    const again = generateKmsKey({ region: kms.region, endpoint: kms.endpoint, alias: ALIAS });
    await expect(again).rejects.toMatchObject({ code: 'PS_ERR_KEY_EXISTS' });
    const signature = await kmsSigner().sign(TOKEN_STRING);
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, signature)).toBe(true);
  });

  it('refuses a KMS key that is not the configured public key', async () => {
    const configured = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const signer = kmsSigner({ publicKey: configured });
    const err = await refusal(signer, 'PS_ERR_SIGNER_KEY_MISMATCH');
    expect(err.message).toContain(spkiFingerprint(merchant.publicKey));
    expect(err.message).toContain(spkiFingerprint(configured));
    expect(unreadyReason(signer)).toContain(spkiFingerprint(merchant.publicKey));
  });

  it('catches an alias repointed to another key after the first signature', async () => {
    const first = await generateKmsKey({ region: kms.region, endpoint: kms.endpoint, alias: 'alias/rotating' });
    const second = await generateKmsKey({ region: kms.region, endpoint: kms.endpoint });
    const signer = kmsSigner({ keyId: 'alias/rotating', publicKey: first.publicKey });
    await signer.sign(TOKEN_STRING);
    await emulatorClient().send(new UpdateAliasCommand({ AliasName: 'alias/rotating', TargetKeyId: second.keyId }));
    const err = await refusal(signer, 'PS_ERR_SIGNER_KEY_MISMATCH');
    expect(err.message).toContain(spkiFingerprint(second.publicKey));
  });

  it('refuses an RSA key whose usage is not signing', async () => {
    const client = emulatorClient();
    const created = await client.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }));
    const keyId = created.KeyMetadata?.Arn ?? '';
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    const publicKey = createPublicKey({ key: Buffer.from(PublicKey ?? []), format: 'der', type: 'spki' });
    const signer = kmsSigner({ keyId, publicKey });
    await refusal(signer, 'PS_ERR_SIGNER_UNAVAILABLE');
    expect(unreadyReason(signer)).toContain('ENCRYPT_DECRYPT, not SIGN_VERIFY');
  });

  it('is unready with NotFoundException for an unknown key id', async () => {
    const signer = kmsSigner({ keyId: 'alias/no-such-key' });
    const err = await refusal(signer, 'PS_ERR_SIGNER_UNAVAILABLE');
    expect(unreadyReason(signer)).toBe('the key was not found (NotFoundException)');
    expect(err.message).toContain('the key was not found (NotFoundException)');
  });
});

describe('KmsSigner when KMS cannot be reached', () => {
  const timeoutMs = 2_000;

  it('fails fast on a closed port, naming the endpoint and ECONNREFUSED', async () => {
    const endpoint = `http://127.0.0.1:${String(await freePort())}`;
    const signer = kmsSigner({ endpoint, timeoutMs });
    const started = Date.now();
    const err = await refusal(signer, 'PS_ERR_SIGNER_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(timeoutMs + 500);
    expect(unreadyReason(signer)).toBe(`KMS unreachable at ${endpoint} (ECONNREFUSED)`);
    expect(err.message).toContain(`KMS unreachable at ${endpoint} (ECONNREFUSED)`);
    expectNoCredentials(err, signer);
  });

  it('gives up on a KMS that accepts connections but never answers, within the timeout', async () => {
    const held = new Set<Socket>();
    const silent: Server = createServer((socket) => held.add(socket));
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    cleanup.add('close the silent server', () => {
      for (const socket of held) socket.destroy();
      return new Promise((done) => silent.close(done));
    });
    const { port } = silent.address() as AddressInfo;
    const signer = kmsSigner({ endpoint: `http://127.0.0.1:${String(port)}`, timeoutMs: 1_000 });
    const started = Date.now();
    const err = await refusal(signer, 'PS_ERR_SIGNER_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1_000 + 500);
    expect(unreadyReason(signer)).toMatch(/^KMS did not answer (within 1000 ms|in time) at http:\/\/127\.0\.0\.1:\d+/);
    expectNoCredentials(err, signer);
  });

  it('is unready while the emulator is down and signs again once it is back', async () => {
    const signer = kmsSigner({ timeoutMs });
    await signer.sign(TOKEN_STRING);
    kms.kill();
    const started = Date.now();
    const err = await refusal(signer, 'PS_ERR_SIGNER_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(timeoutMs + 500);
    expect(unreadyReason(signer)).toMatch(new RegExp(`^KMS unreachable at ${kms.endpoint} \\(E[A-Z]+\\)$`));
    expectNoCredentials(err, signer);
    await kms.restart();
    const signature = await signer.sign(TOKEN_STRING);
    expect(verify('RSA-SHA256', TOKEN_STRING, merchant.publicKey, signature)).toBe(true);
    expect(signer.status()).toEqual({ ready: true });
  });
});

it('loads the AWS SDK at the first signature, not when a signer is made', async () => {
  const script = `
    import { registerHooks } from 'node:module';
    import { generateKeyPairSync } from 'node:crypto';
    const loaded = [];
    registerHooks({ resolve: (s, c, next) => (s.startsWith('@aws-sdk/') && loaded.push(s), next(s, c)) });
    const { KmsSigner } = await import(${JSON.stringify(join(import.meta.dirname, 'kms-signer.ts'))});
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const signer = new KmsSigner({ keyId: 'alias/k', endpoint: 'http://127.0.0.1:9', publicKey, what: 'k', timeoutMs: 1000 });
    const made = loaded.length;
    await signer.sign(Buffer.from('x')).catch(() => undefined);
    console.log(JSON.stringify({ made, signed: loaded.includes('@aws-sdk/client-kms') }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...kms.env } });
  expect(JSON.parse(stdout)).toEqual({ made: 0, signed: true });
});
