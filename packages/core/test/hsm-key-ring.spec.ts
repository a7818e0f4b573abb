// A merchant key in an HSM (SoftHSM2 over PKCS#11) through the key ring and the client, as the worker
// runs it: the key reference file in privateKeyFile signs token requests inside the token, and its
// fingerprint is revocable like a file's — refused at start, and marked revoked at a reload, after
// which nothing is sent, even though the HSM would still sign.
import { verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSoftHsmToken, type SoftHsmToken } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../src/config/schema.ts';
import { formatKeyReference, pkcs11Uri } from '../src/keys/key-reference.ts';
import { FileKeySource, KeyRing } from '../src/keys/key-ring.ts';
import { spkiFingerprint } from '../src/keys/pem.ts';
import { finalizePkcs11Modules, generatePkcs11Key } from '../src/keys/signers/pkcs11-signer.ts';
import { MidtransClient } from '../src/midtrans/client.ts';
import { clientFixture, closeFixtureAfterEach, configInput, useFakeMidtrans, type ClientFixture } from './client-fixture.ts';

const PIN = '2468-hsm-pin';
const fake = useFakeMidtrans();
let fx: ClientFixture;
closeFixtureAfterEach(fake, () => fx);
let hsm: SoftHsmToken;
let reference: string;
let fingerprint: string;

beforeAll(async () => {
  hsm = createSoftHsmToken({ label: 'paystream', pin: PIN, soPin: '1357-so-pin' });
  process.env['SOFTHSM2_CONF'] = hsm.confFile; // read at the process's first C_Initialize
  const key = await generatePkcs11Key({ module: hsm.module, tokenLabel: 'paystream', keyLabel: 'merchant', pin: () => PIN });
  reference = formatKeyReference(pkcs11Uri({ tokenLabel: 'paystream', keyLabel: 'merchant', keyId: key.keyId }), key.publicKey);
  fingerprint = spkiFingerprint(key.publicKey);
}, 900_000);

afterAll(async () => {
  await finalizePkcs11Modules();
  hsm.remove();
});

/** The fixture's configuration with the merchant key in the HSM. */
function hsmConfig(fx: ClientFixture, overrides: Record<string, unknown> = {}): ReturnType<typeof parseCoreConfig> {
  const keyFile = join(fx.dir, 'merchant-key.ref');
  const pinFile = join(fx.dir, 'hsm-pin');
  writeFileSync(keyFile, reference, { mode: 0o600 });
  writeFileSync(pinFile, PIN, { mode: 0o600 });
  return parseCoreConfig(
    configInput(
      fx,
      { keyStores: { pkcs11: { module: hsm.module, pinFile } }, ...overrides },
      { clientId: 'client-1', privateKeyFile: keyFile },
    ),
  );
}

describe('a merchant key in an HSM behind the key ring', () => {
  it('signs the token request inside the token, verifiable with the registered public key', async () => {
    fx = await clientFixture(fake);
    const config = hsmConfig(fx);
    const ring = await KeyRing.open(new FileKeySource(config), 'default', { watch: false });
    const client = new MidtransClient({ config, keyRing: ring, tls: { caPem: [fake.pki.caPem] } });
    try {
      expect(ring.merchant().signer).toMatchObject({ kind: 'pkcs11', fingerprint });
      expect(ring.merchant().plainKeyFile).toBe(false);
      expect((await client.snap({ path: '/v1.0/debit/status', externalId: 'e', body: {} })).ok).toBe(true);
      const tokenReq = fake.requests.find((r) => r.path.endsWith('/access-token/b2b'))!;
      const data = Buffer.from(`client-1|${String(tokenReq.headers['x-timestamp'])}`);
      const signature = Buffer.from(String(tokenReq.headers['x-signature']), 'base64');
      expect(verify('RSA-SHA256', data, ring.merchant().signer.publicKey, signature)).toBe(true);
    } finally {
      await client.close();
      await ring.close();
    }
  });

  it('refuses the HSM key at start when its fingerprint is revoked, and sends nothing once it is revoked at a reload', async () => {
    fx = await clientFixture(fake);
    await expect(
      KeyRing.open(new FileKeySource({ ...hsmConfig(fx), revokedKeyFingerprints: [fingerprint] }), 'default', { watch: false }),
    ).rejects.toMatchObject({
      code: 'PS_ERR_KEY_REVOKED',
      message: expect.stringContaining('the private key of merchant "default" is revoked') as unknown,
    });
    const list = join(fx.dir, 'revoked.txt');
    writeFileSync(list, '# nothing revoked\n');
    const config = hsmConfig(fx, { revocationListFile: list });
    const ring = await KeyRing.open(new FileKeySource(config), 'default', { watch: false });
    const client = new MidtransClient({ config, keyRing: ring, tls: { caPem: [fake.pki.caPem] } });
    try {
      expect((await client.snap({ path: '/v1.0/debit/status', externalId: 'e1', body: {} })).ok).toBe(true);
      writeFileSync(list, `# HSM key retired\n${fingerprint}\n`);
      await ring.reload();
      expect(ring.merchant().revoked).toBe(true);
      client.tokens.clear();
      const sent = fake.requests.length;
      await expect(client.snap({ path: '/v1.0/debit/status', externalId: 'e2', body: {} })).rejects.toMatchObject({
        kind: 'credentials-revoked',
      });
      expect(fake.requests).toHaveLength(sent);
    } finally {
      await client.close();
      await ring.close();
    }
  });
});
