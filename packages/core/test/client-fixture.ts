// A client wired to a FakeMidtrans with key files written to a temporary folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCoreConfig, type CoreConfigInput } from '../src/config/schema.ts';
import { FileKeySource, KeyRing } from '../src/keys/key-ring.ts';
import { MidtransClient } from '../src/midtrans/client.ts';
import type { FakeMidtrans } from './fake-midtrans.ts';
import { rsaPair } from './keys.ts';

export interface ClientFixture {
  readonly client: MidtransClient;
  readonly ring: KeyRing;
  readonly dir: string;
  readonly clientSecret: string;
  readonly serverKey: string;
  readonly merchantPublicPem: string;
  readonly files: { privateKey: string; clientSecret: string; serverKey: string; midtransKey: string };
  close(): Promise<void>;
}

export async function clientFixture(fake: FakeMidtrans, overrides: Partial<CoreConfigInput> = {}): Promise<ClientFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-core-'));
  const merchant = rsaPair();
  const midtrans = rsaPair();
  const clientSecret = randomBytes(24).toString('base64url');
  const serverKey = `server-${randomBytes(12).toString('hex')}`;
  const files = {
    privateKey: join(dir, 'merchant.pem'),
    clientSecret: join(dir, 'client-secret'),
    serverKey: join(dir, 'server-key'),
    midtransKey: join(dir, 'midtrans.pub.pem'),
  };
  writeFileSync(files.privateKey, merchant.privatePem, { mode: 0o600 });
  writeFileSync(files.clientSecret, clientSecret, { mode: 0o600 });
  writeFileSync(files.serverKey, serverKey, { mode: 0o600 });
  writeFileSync(files.midtransKey, midtrans.publicPem);
  if (typeof overrides.revocationListFile === 'string') writeFileSync(overrides.revocationListFile, '');
  const config = parseCoreConfig({
    snapBaseUrl: fake.url,
    coreBaseUrl: fake.url,
    merchants: {
      default: {
        clientId: 'client-1',
        partnerId: 'partner-1',
        channelId: '12345',
        privateKeyFile: files.privateKey,
        clientSecretFile: files.clientSecret,
        serverKeyFile: files.serverKey,
      },
    },
    midtransPublicKeyFiles: [files.midtransKey],
    http: { maxAttempts: 3, backoffBaseMs: 1, backoffMaxMs: 5, totalTimeoutMs: 2_000 },
    ...overrides,
  });
  const ring = await KeyRing.open(new FileKeySource(config, process.env, 50), config.defaultMerchant);
  const client = new MidtransClient({ config, keyRing: ring, tls: { caPem: [fake.pki.caPem] } });
  return {
    client,
    ring,
    dir,
    clientSecret,
    serverKey,
    merchantPublicPem: merchant.publicPem,
    files,
    close: async () => {
      ring.close();
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
