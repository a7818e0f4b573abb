// A local HTTPS stand-in for Midtrans BI-SNAP (access tokens and direct-debit payments) and the
// MidtransClient the worker would build over it for one merchant key, so that the key-store
// benchmark drives the same token and call path as production with only the signer changed.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, FileKeySource, KeyRing, MidtransClient, parseCoreConfig, type CoreConfigInput } from '@paystream/core';
import { makePki } from '../../../packages/core/test/certs.ts';

/** Tokens live 15 minutes, as Midtrans issues them. */
const TOKEN_LIFETIME_S = '900';

export interface SnapEndpoint {
  readonly url: string;
  readonly caPem: string;
  /** Access tokens issued so far. */
  readonly tokensIssued: () => number;
  close(): Promise<void>;
}

export async function startSnapEndpoint(): Promise<SnapEndpoint> {
  const pki = await makePki();
  let tokens = 0;
  const server: Server = createServer({ cert: pki.certPem, key: pki.keyPem, keepAliveTimeout: 30_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const token = req.url?.endsWith('/access-token/b2b');
      if (token) tokens++;
      const answer = token
        ? { responseCode: '2007300', accessToken: `t${String(tokens)}`, expiresIn: TOKEN_LIFETIME_S }
        : { responseCode: '2005400', responseMessage: 'Successful', referenceNo: 'A1', webRedirectUrl: 'https://x' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `https://localhost:${String((server.address() as AddressInfo).port)}`,
    caPem: pki.caPem,
    tokensIssued: () => tokens,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export interface MerchantFiles {
  readonly privateKeyFile: string;
  readonly clientSecretFile: string;
  readonly midtransPublicKeyFile: string;
  readonly keyStores: NonNullable<CoreConfigInput['keyStores']>;
}

export interface BenchClient {
  readonly client: MidtransClient;
  readonly ring: KeyRing;
  close(): Promise<void>;
}

const quiet = createLogger({ name: 'bench', level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));

/** A MidtransClient for merchant `default`, its key opened from `privateKeyFile` as the worker opens it. */
export async function openBenchClient(endpoint: SnapEndpoint, files: MerchantFiles): Promise<BenchClient> {
  const config = parseCoreConfig({
    snapBaseUrl: endpoint.url,
    coreBaseUrl: endpoint.url,
    merchants: {
      default: {
        clientId: 'bench-client',
        partnerId: 'p',
        channelId: '12345',
        privateKeyFile: files.privateKeyFile,
        clientSecretFile: files.clientSecretFile,
      },
    },
    midtransPublicKeyFiles: [files.midtransPublicKeyFile],
    keyStores: files.keyStores,
  });
  const ring = await KeyRing.open(new FileKeySource(config), 'default', { watch: false });
  const client = new MidtransClient({ config, keyRing: ring, tls: { caPem: [endpoint.caPem] }, logger: quiet });
  return {
    client,
    ring,
    close: async () => {
      await client.close();
      await ring.close();
    },
  };
}
