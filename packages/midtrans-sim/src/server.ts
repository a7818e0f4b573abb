// The simulator: one HTTPS server speaking BI-SNAP, Core API v2, the customer pages and the admin
// API under /_sim/. TLS 1.3 and TLS 1.2 ECDHE-RSA-AES-GCM only, with a per-run CA.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createContext, type SimContext } from './context.ts';
import { handleAdmin } from './handlers/admin.ts';
import { handleCore } from './handlers/core.ts';
import { handleCustomer } from './handlers/customer.ts';
import { handleSnap } from './handlers/snap.ts';
import { TOKEN_PATH, handleToken } from './handlers/token.ts';
import { json, readBody } from './http.ts';
import { createPki, type SimPki } from './pki.ts';
import type { Simulator, SimulatorCredentials, SimulatorOptions } from './simulator-api.ts';

export type { RequestLogEntry } from './request-log.ts';
export type { Simulator, SimulatorCredentials, SimulatorOptions } from './simulator-api.ts';

const TLS13 = 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256';
const TLS12_GCM = 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256';

/** Sends each request to the handler of its part of the API. */
async function route(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://sim');
  const raw = await readBody(req);
  if (url.pathname.startsWith('/_sim/')) handleAdmin(ctx, req, res, url, raw);
  else if (url.pathname.startsWith('/pay/') || url.pathname.startsWith('/3ds/')) handleCustomer(ctx, req, res, url, raw);
  else if (req.method === 'POST' && url.pathname === TOKEN_PATH) await handleToken(ctx, req, res, raw);
  else if (req.method === 'POST' && url.pathname.startsWith('/v1.0/')) await handleSnap(ctx, req, res, url.pathname, raw);
  else if (url.pathname.startsWith('/v2/')) await handleCore(ctx, req, res, url, raw);
  else json(res, 404, { responseCode: '4040000', responseMessage: 'Not Found' });
}

function httpsServer(ctx: SimContext, pki: SimPki): Server {
  return createServer(
    {
      cert: pki.serverCertPem,
      key: pki.serverKeyPem,
      minVersion: 'TLSv1.2',
      maxVersion: ctx.options.tls12Only ? 'TLSv1.2' : 'TLSv1.3',
      ciphers: `${TLS13}:${TLS12_GCM}`,
      honorCipherOrder: true,
      keepAliveTimeout: 65_000,
    },
    (req, res) => {
      route(ctx, req, res).catch(() => {
        if (!res.headersSent) json(res, 500, { responseCode: '5000001', responseMessage: 'Internal Server Error' });
      });
    },
  );
}

/** The credentials a client uses; the client secret and Midtrans' key are read live, as they rotate. */
function credentialsOf(ctx: SimContext): SimulatorCredentials {
  const { creds, merchant, midtransKeys } = ctx;
  return {
    clientId: creds.clientId,
    partnerId: creds.partnerId,
    channelId: creds.channelId,
    merchantId: creds.partnerId,
    get clientSecret() {
      return creds.clientSecrets[0] ?? '';
    },
    serverKey: ctx.serverKey,
    clientKey: ctx.clientKey,
    ...(merchant.privateKeyPem !== undefined ? { merchantPrivateKeyPem: merchant.privateKeyPem } : {}),
    merchantPublicKeyPem: merchant.publicKeyPem,
    get midtransPublicKeyPem() {
      return midtransKeys.publicKeyPem;
    },
  };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const pki: SimPki = await createPki([...new Set([host, 'localhost', '127.0.0.1'])]);
  const ctx = createContext(options);
  const server = httpsServer(ctx, pki);
  await new Promise<void>((done) => server.listen(options.port ?? 0, host, done));
  const port = (server.address() as AddressInfo).port;
  ctx.baseUrl = `https://${host.includes(':') ? `[${host}]` : host}:${String(port)}`;
  const { baseUrl, store, webhooks, faults, amountLimits, requests } = ctx;
  return {
    baseUrl,
    adminUrl: `${baseUrl}/_sim`,
    caCertPem: pki.caCertPem,
    credentials: credentialsOf(ctx),
    store,
    webhooks,
    faults,
    amountLimits,
    requests,
    close: () =>
      new Promise((done) => {
        webhooks.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
