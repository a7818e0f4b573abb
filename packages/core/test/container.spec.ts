import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Container } from 'inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../src/config/schema.ts';
import { coreModule, createCore, EVENT_SIGNER, MIDTRANS_API, NOTIFICATION_VERIFIER } from '../src/container.ts';
import { createLogger } from '../src/log/logger.ts';
import { clientFixture, type ClientFixture } from './client-fixture.ts';
import { startFakeMidtrans, type FakeMidtrans } from './fake-midtrans.ts';

let fake: FakeMidtrans;
let fx: ClientFixture;
beforeAll(async () => {
  fake = await startFakeMidtrans();
  fx = await clientFixture(fake);
});
afterAll(async () => {
  await fx.close();
  await fake.close();
});

describe('createCore and coreModule', () => {
  it('builds every service from configuration and binds them for the container', async () => {
    const signing = join(fx.dir, 'event-signing.pem');
    const encryption = join(fx.dir, 'event-encryption.key');
    const ca = join(fx.dir, 'ca.pem');
    writeFileSync(signing, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(encryption, randomBytes(32).toString('base64'));
    writeFileSync(ca, fake.pki.caPem);
    const config = parseCoreConfig({
      snapBaseUrl: fake.url,
      coreBaseUrl: fake.url,
      merchants: { default: { clientId: 'c', partnerId: 'p', channelId: '12345', privateKeyFile: fx.files.privateKey, clientSecretFile: fx.files.clientSecret } },
      midtransPublicKeyFiles: [fx.files.midtransKey],
      tls: { caFiles: [ca] },
      events: { signingKeyFiles: [signing], encryptionKeyFiles: [encryption] },
    });
    const quiet = createLogger({ name: 't', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() }));
    const core = await createCore(config, { logger: quiet, watchKeys: false });
    const container = new Container();
    container.load(coreModule(core));
    expect((await container.get(MIDTRANS_API).snap({ path: '/v1.0/debit/status', externalId: 'x', body: {} })).ok).toBe(true);
    expect(container.get(EVENT_SIGNER).publicKeys()).toHaveLength(1);
    expect(container.get(NOTIFICATION_VERIFIER)).toBe(core.verifier);
    await core.close();
  });

  it('refuses to start without event keys, naming what is missing', async () => {
    const config = parseCoreConfig({
      snapBaseUrl: fake.url,
      coreBaseUrl: fake.url,
      merchants: { default: { clientId: 'c', partnerId: 'p', channelId: '12345', privateKeyFile: fx.files.privateKey, clientSecretFile: fx.files.clientSecret } },
      midtransPublicKeyFiles: [fx.files.midtransKey],
    });
    await expect(createCore(config, { watchKeys: false })).rejects.toThrow(/no event-signing key is configured/);
  });
});
