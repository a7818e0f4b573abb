// The key ring from real files: validation at start, several Midtrans keys, revocation, reload on
// file change and SIGHUP, and a rotation under load that fails no call.
import { createHash, createHmac, createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { chmodSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../src/config/schema.ts';
import { FileKeySource, KeyRing, reloadOnSighup } from '../src/keys/key-ring.ts';
import { secretFingerprint } from '../src/keys/revocation.ts';
import { coreSignatureKey, notificationStringToSign } from '../src/signing/snap-signatures.ts';
import { NotificationVerifier } from '../src/signing/notification-verifier.ts';
import { clientFixture, closeFixtureAfterEach, configInput, useFakeMidtrans, type ClientFixture } from './client-fixture.ts';
import type { Recorded } from './fake-midtrans.ts';
import { rsaPair } from './keys.ts';

const fake = useFakeMidtrans();
let fx: ClientFixture;
closeFixtureAfterEach(fake, () => fx);

/** Atomic replacement, as an operator or a secret manager does it. */
function replace(file: string, content: string): void {
  writeFileSync(`${file}.new`, content, { mode: 0o600 });
  renameSync(`${file}.new`, file);
}

function snapNotification(privatePem: string, body = '{"latestTransactionStatus":"00"}') {
  const rawBody = new TextEncoder().encode(body);
  const timestamp = '2026-11-24T10:00:00+07:00';
  const path = '/v1.0/debit/notify';
  const signature = sign(
    'RSA-SHA256',
    Buffer.from(notificationStringToSign('POST', path, rawBody, timestamp)),
    createPrivateKey(privatePem),
  ).toString('base64');
  return { method: 'POST', path, timestamp, signature, rawBody };
}

describe('key ring', () => {
  it('reports a missing file or env variable by name, never by content', async () => {
    fx = await clientFixture(fake);
    const config = parseCoreConfig(
      configInput(fx, {}, { privateKeyFile: join(fx.dir, 'nope.pem'), clientSecretFile: 'env:PAYSTREAM_TEST_UNSET_SECRET' }),
    );
    await expect(new FileKeySource(config).load()).rejects.toThrow(
      /^merchants\.default\.privateKeyFile: cannot read the file it names \(no such file\)$/,
    );
    const envConfig = { ...config, merchants: { default: { ...config.merchants['default']!, privateKeyFile: fx.files.privateKey } } };
    await expect(new FileKeySource(envConfig, {}).load()).rejects.toThrow(
      /^merchants\.default\.clientSecretFile: the environment variable it names is not set/,
    );
    const material = await new FileKeySource(envConfig, { PAYSTREAM_TEST_UNSET_SECRET: 'from-env-secret' }).load();
    expect(material.merchants.get('default')!.clientSecret.reveal()).toBe('from-env-secret');
  });

  it('trusts several Midtrans keys at once and refuses a revoked one at load and on verify', async () => {
    fx = await clientFixture(fake);
    const second = rsaPair();
    const secondFile = join(fx.dir, 'midtrans-2.pub.pem');
    writeFileSync(secondFile, second.publicPem);
    const base = configInput(fx, { midtransPublicKeyFiles: [fx.files.midtransKey, secondFile] });
    const ring = await KeyRing.open(new FileKeySource(parseCoreConfig(base)), 'default', { watch: false });
    expect(ring.midtransKeys()).toHaveLength(2);
    expect(new NotificationVerifier(ring).verifySnap(snapNotification(second.privatePem))).toMatchObject({ valid: true });
    const revoked = createHash('sha256')
      .update(Buffer.from(second.publicPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))
      .digest('hex');
    const ring2 = await KeyRing.open(new FileKeySource(parseCoreConfig({ ...base, revokedKeyFingerprints: [revoked] })), 'default', {
      watch: false,
    });
    expect(ring2.midtransKeys()).toHaveLength(1);
    expect(new NotificationVerifier(ring2).verifySnap(snapNotification(second.privatePem))).toEqual({
      valid: false,
      reason: 'the signature matches no trusted Midtrans public key',
    });
  });

  it('keeps the last good material on a bad reload', async () => {
    fx = await clientFixture(fake);
    const results: boolean[] = [];
    fx.ring.onReload((r) => results.push(r.ok));
    replace(fx.files.privateKey, 'garbage');
    await fx.ring.reload();
    expect(results).toEqual([false]);
    expect((await fx.client.snap({ path: '/v1.0/debit/status', externalId: 'e', body: {} })).ok).toBe(true);
    expect(fx.ring.merchant().revoked).toBe(false);
    expect(fx.ring.merchant().signer.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('marks a merchant revoked when its key lands on the revocation list at reload: nothing more is sent', async () => {
    const list = join(mkdtempSync(join(tmpdir(), 'paystream-revocation-')), 'revoked.txt');
    fx = await clientFixture(fake, { revocationListFile: list });
    expect((await fx.client.snap({ path: '/v1.0/debit/status', externalId: 'e', body: {} })).ok).toBe(true);
    replace(list, `# compromised 2026-11-24\n${fx.ring.merchant().signer.fingerprint}\n`);
    await fx.ring.reload();
    expect(fx.ring.merchant().revoked).toBe(true);
    const sent = fake.requests.length;
    await expect(fx.client.snap({ path: '/v1.0/debit/status', externalId: 'e2', body: {} })).rejects.toMatchObject({
      kind: 'credentials-revoked',
    });
    expect(fake.requests).toHaveLength(sent);
  });

  it('refuses a revoked client secret or server key at start, naming the part, never the value', async () => {
    fx = await clientFixture(fake);
    const list = join(fx.dir, 'revoked.txt');
    const base = configInput(
      fx,
      { defaultMerchant: 'shop', revocationListFile: list },
      { name: 'shop', serverKeyFile: fx.files.serverKey },
    );
    const cases = [
      { revoke: secretFingerprint(fx.clientSecret), part: 'client secret' },
      { revoke: `sha256:${secretFingerprint(fx.serverKey)}`, part: 'server key' },
      { revoke: fx.ring.merchant().signer.fingerprint, part: 'private key' },
    ];
    for (const { revoke, part } of cases) {
      writeFileSync(list, `# revoked\n${revoke}\n`);
      const opened = KeyRing.open(new FileKeySource(parseCoreConfig(base)), 'shop', { watch: false });
      await expect(opened).rejects.toMatchObject({
        code: 'PS_ERR_KEY_REVOKED',
        message: expect.stringContaining(`the ${part} of merchant "shop" is revoked (on the revocation list)`) as unknown,
      });
      const message = await opened.catch((err: unknown) => String(err));
      for (const secret of [fx.clientSecret, fx.serverKey]) expect(message).not.toContain(secret);
    }
    // Listed in the configuration instead of the file: the same.
    const inline = parseCoreConfig({ ...base, revocationListFile: undefined, revokedKeyFingerprints: [secretFingerprint(fx.serverKey)] });
    await expect(KeyRing.open(new FileKeySource(inline), 'shop', { watch: false })).rejects.toMatchObject({ code: 'PS_ERR_KEY_REVOKED' });
  });

  it('marks the credential set revoked when its client secret or server key lands on the list at reload: nothing more is sent, and a revoked server key verifies nothing', async () => {
    const list = join(mkdtempSync(join(tmpdir(), 'paystream-revocation-')), 'revoked.txt');
    for (const revoke of ['client secret', 'server key'] as const) {
      fx = await clientFixture(fake, { revocationListFile: list });
      expect((await fx.client.snap({ path: '/v1.0/debit/status', externalId: 'e', body: {} })).ok).toBe(true);
      replace(list, `${secretFingerprint(revoke === 'client secret' ? fx.clientSecret : fx.serverKey)}\n`);
      await fx.ring.reload();
      expect(fx.ring.merchant()).toMatchObject({ revoked: true, revokedParts: [revoke] });
      const sent = fake.requests.length;
      await expect(fx.client.snap({ path: '/v1.0/debit/status', externalId: 'e2', body: {} })).rejects.toMatchObject({
        kind: 'credentials-revoked',
      });
      await expect(fx.client.coreApi({ method: 'GET', path: '/v2/o-1/status' })).rejects.toMatchObject({ kind: 'credentials-revoked' });
      expect(fake.requests).toHaveLength(sent);
      // A notification signed with the revoked server key (as one who stole it would) is not accepted.
      const forged = {
        order_id: 'o-1',
        status_code: '200',
        gross_amount: '10000.00',
        signature_key: coreSignatureKey('o-1', '200', '10000.00', fx.serverKey),
      };
      expect(new NotificationVerifier(fx.ring).verifyCore(forged).valid).toBe(revoke !== 'server key');
      // The list emptied again (a mistaken revocation): the set is usable once more.
      replace(list, '');
      await fx.ring.reload();
      expect(fx.ring.merchant().revoked).toBe(false);
      await fx.close();
    }
    fx = await clientFixture(fake);
  });

  it('refuses a private key or secret file group or others may read, with the chmod that fixes it, unless allowInsecureKeyFilePermissions is set', async () => {
    fx = await clientFixture(fake);
    const base = configInput(fx, {}, { serverKeyFile: fx.files.serverKey });
    for (const [field, file] of [
      ['privateKeyFile', fx.files.privateKey],
      ['clientSecretFile', fx.files.clientSecret],
      ['serverKeyFile', fx.files.serverKey],
    ] as const) {
      chmodSync(file, 0o644);
      const load = new FileKeySource(parseCoreConfig(base)).load();
      await expect(load).rejects.toMatchObject({
        code: 'PS_ERR_KEY_PERMISSIONS',
        message: expect.stringContaining(
          `merchants.default.${field}: the file is readable or writable by group or others (mode 0644)`,
        ) as unknown,
      });
      await expect(load).rejects.toThrow(`chmod 600 ${file}`);
      const material = await new FileKeySource(parseCoreConfig({ ...base, allowInsecureKeyFilePermissions: true })).load();
      expect(material.merchants.get('default')?.clientSecret.reveal()).toBe(fx.clientSecret);
      chmodSync(file, 0o600);
    }
    // Public keys are not secret: a world-readable Midtrans key is fine.
    chmodSync(fx.files.midtransKey, 0o644);
    await expect(new FileKeySource(parseCoreConfig(base)).load()).resolves.toBeDefined();
  });

  it('reloads on SIGHUP', async () => {
    fx = await clientFixture(fake);
    const off = reloadOnSighup(fx.ring);
    const reloaded = new Promise((done) => fx.ring.onReload(done));
    process.kill(process.pid, 'SIGHUP');
    expect(await reloaded).toEqual({ ok: true });
    off();
  });

  it('rotates the private key and the client secret while 1,000 calls run: none fails, later calls use the new material', async () => {
    fx = await clientFixture(fake);
    const oldSecret = fx.clientSecret;
    const newSecret = randomBytes(24).toString('base64url');
    const newPair = rsaPair();
    // Midtrans accepts the old secret through a transition period and both registered public keys.
    const accepted = new Set([oldSecret, newSecret]);
    const validHmac = (r: Recorded): string | undefined => {
      const token = String(r.headers['authorization']).slice(7);
      const sts = `POST:${r.path}:${token}:${createHash('sha256').update(r.body).digest('hex')}:${String(r.headers['x-timestamp'])}`;
      return [...accepted].find((s) => createHmac('sha512', s).update(sts).digest('base64') === r.headers['x-signature']);
    };
    fake.respond = (r) =>
      validHmac(r)
        ? { status: 200, body: { responseCode: '2005500' } }
        : { status: 401, body: { responseCode: '4015500', responseMessage: 'Unauthorized. Signature' } };
    const reloaded = new Promise((done) => fx.ring.onReload(done));
    const calls = Array.from({ length: 1000 }, (_, i) =>
      new Promise((r) => setTimeout(r, i % 50)).then(() =>
        fx.client.snap({ path: '/v1.0/debit/status', externalId: `rot-${String(i)}`, body: { i } }),
      ),
    );
    setTimeout(() => {
      replace(fx.files.privateKey, newPair.privatePem);
      replace(fx.files.clientSecret, newSecret);
    }, 10);
    const results = await Promise.allSettled(calls);
    // The reasons themselves, so that a failure says what went wrong (a refusal, a timeout, the breaker).
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect({ failed: failed.length, first: [...new Set(failed)].slice(0, 3) }).toEqual({ failed: 0, first: [] });
    expect(results.every((r) => r.status === 'fulfilled' && r.value.ok)).toBe(true);
    await reloaded;
    // Both files were replaced before the calls ended; wait until a reload has picked up the second.
    await expect.poll(() => fx.ring.merchant().clientSecret.reveal(), { timeout: 5_000 }).toBe(newSecret);
    await fx.client.snap({ path: '/v1.0/debit/status', externalId: 'after', body: {} });
    const last = fake.requests.filter((r) => !r.path.endsWith('b2b')).at(-1)!;
    expect(validHmac(last)).toBe(newSecret);
    // Every reload drops cached tokens, so the newest token was requested after the key was replaced.
    const tokenReq = fake.requests.filter((r) => r.path.endsWith('b2b')).at(-1)!;
    const data = Buffer.from(`client-1|${String(tokenReq.headers['x-timestamp'])}`);
    expect(
      verify('RSA-SHA256', data, createPublicKey(newPair.publicPem), Buffer.from(String(tokenReq.headers['x-signature']), 'base64')),
    ).toBe(true);
  });
});
