// A client wired to a FakeMidtrans with key files written to a temporary folder, and the hooks and
// configuration input the specs built on it share.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { parseCoreConfig, type CoreConfigInput } from '../src/config/schema.ts';
import { FileKeySource, KeyRing } from '../src/keys/key-ring.ts';
import { MidtransClient } from '../src/midtrans/client.ts';
import { startFakeMidtrans, type FakeMidtrans } from './fake-midtrans.ts';
import { rsaPair } from './keys.ts';

export interface ClientFixture {
  readonly client: MidtransClient;
  readonly ring: KeyRing;
  readonly dir: string;
  /** The fake server's URL, for both the BI-SNAP and the Core API base. */
  readonly baseUrl: string;
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
  const config = parseCoreConfig(
    configInput(
      { baseUrl: fake.url, files },
      { http: { maxAttempts: 3, backoffBaseMs: 1, backoffMaxMs: 5, totalTimeoutMs: 2_000 }, ...overrides },
      { clientId: 'client-1', partnerId: 'partner-1', serverKeyFile: files.serverKey },
    ),
  );
  const ring = await KeyRing.open(new FileKeySource(config, process.env, 50), config.defaultMerchant);
  const client = new MidtransClient({ config, keyRing: ring, tls: { caPem: [fake.pki.caPem] } });
  return {
    client,
    ring,
    dir,
    baseUrl: fake.url,
    clientSecret,
    serverKey,
    merchantPublicPem: merchant.publicPem,
    files,
    close: async () => {
      await ring.close();
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type MerchantInput = CoreConfigInput['merchants'][string];

/** Changes to the one merchant's entry; `name` files it under another merchant name. */
export interface MerchantOverrides extends Partial<MerchantInput> {
  readonly name?: string;
}

/**
 * The smallest configuration input on a fixture's files: one merchant (`default` unless named) with
 * its private key and client secret, not its server key, and the fixture's Midtrans key.
 */
export function configInput(
  fx: Pick<ClientFixture, 'baseUrl' | 'files'>,
  overrides: Partial<CoreConfigInput> = {},
  merchant: MerchantOverrides = {},
): CoreConfigInput {
  const { name = 'default', ...fields } = merchant;
  return {
    snapBaseUrl: fx.baseUrl,
    coreBaseUrl: fx.baseUrl,
    merchants: {
      [name]: {
        clientId: 'c',
        partnerId: 'p',
        channelId: '12345',
        privateKeyFile: fx.files.privateKey,
        clientSecretFile: fx.files.clientSecret,
        ...fields,
      },
    },
    midtransPublicKeyFiles: [fx.files.midtransKey],
    ...overrides,
  };
}

/**
 * Starts a FakeMidtrans before the file's tests and closes it after them. The returned object
 * forwards to the running server, so a spec holds it as a constant from the start.
 */
export function useFakeMidtrans(): FakeMidtrans {
  let started: FakeMidtrans | undefined;
  const running = (): FakeMidtrans => {
    if (!started) throw new Error('the fake Midtrans server runs only between beforeAll and afterAll');
    return started;
  };
  beforeAll(async () => {
    started = await startFakeMidtrans();
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get url() {
      return running().url;
    },
    get pki() {
      return running().pki;
    },
    get requests() {
      return running().requests;
    },
    get respond() {
      return running().respond;
    },
    set respond(responder) {
      running().respond = responder;
    },
    tokenCount: () => running().tokenCount(),
    close: () => running().close(),
  };
}

/** For specs that open a fixture per test: closes the test's fixture and forgets the requests seen. */
export function closeFixtureAfterEach(fake: FakeMidtrans, current: () => ClientFixture): void {
  afterEach(async () => {
    await current().close();
    fake.requests.length = 0;
  });
}
