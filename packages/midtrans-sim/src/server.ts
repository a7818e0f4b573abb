// The simulator: one HTTPS server speaking BI-SNAP, Core API v2, the customer pages and the admin
// API under /_sim/. TLS 1.3 and TLS 1.2 ECDHE-RSA-AES-GCM only, with a per-run CA.
import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { adminHandler } from './admin.ts';
import { SnapFailure, fail, responseCode } from './codes.ts';
import { CoreApi, checkBasicAuth, coreStatus, signatureKey, text } from './core-api.ts';
import { MidtransSigningKeys } from './credentials.ts';
import { Faults, type Fault } from './faults.ts';
import { donePage, payPage, threeDsPage } from './pages.ts';
import { createPki, rsaKeyPair, type SimPki } from './pki.ts';
import { header, minify, publicKeyOf, verifyTokenRequest, verifyTransactional, type Credentials } from './snap-auth.ts';
import { snapRoutes, type RouteContext } from './snap-routes.ts';
import { Store, type SnapStatus, type Tx } from './store.ts';
import { WebhookSender, type WebhookConfig } from './webhooks.ts';

export interface SimulatorOptions {
  readonly host?: string;
  readonly port?: number;
  /** Offer TLS 1.2 only (to test clients that must negotiate it). */
  readonly tls12Only?: boolean;
  /** Allowed X-TIMESTAMP skew; default 5 minutes. */
  readonly maxSkewMs?: number;
  readonly merchantPublicKeyPem?: string;
  readonly webhooks?: Partial<Pick<WebhookConfig, 'snapBaseUrl' | 'coreNotificationUrl' | 'timeScale' | 'caPem'>>;
  /** The largest amount (rupiah) per BI-SNAP method (`gopay`, `qris`, `va-bca`, …); larger charges answer `403xx02`. */
  readonly amountLimits?: Readonly<Record<string, number>>;
}

export interface SimulatorCredentials {
  readonly clientId: string;
  readonly partnerId: string;
  readonly channelId: string;
  readonly merchantId: string;
  /** The current client secret (a rotation's previous one stays accepted until the transition ends). */
  readonly clientSecret: string;
  readonly serverKey: string;
  readonly clientKey: string;
  /** Generated unless a merchant public key was given: the key the simulator started with. */
  readonly merchantPrivateKeyPem?: string;
  /** The merchant public key the simulator started with. */
  readonly merchantPublicKeyPem: string;
  /** The current notification-signing public key. */
  readonly midtransPublicKeyPem: string;
}

export interface RequestLogEntry {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  /** 0 when a fault left the request unanswered (see `fault`). */
  readonly status: number;
  readonly responseCode?: string;
  /** The fault that swallowed the request: `no-answer` or `reset`. */
  readonly fault?: Fault['kind'];
}

export interface Simulator {
  readonly baseUrl: string;
  readonly adminUrl: string;
  readonly caCertPem: string;
  readonly credentials: SimulatorCredentials;
  readonly store: Store;
  readonly webhooks: WebhookSender;
  readonly faults: Faults;
  /** Per-method amount limits, changeable while running (also through `POST /_sim/limits`). */
  readonly amountLimits: Record<string, number>;
  readonly requests: RequestLogEntry[];
  close(): Promise<void>;
}

/** The Core API transaction_status of each BI-SNAP status, for notifications of an earlier state. */
const CORE_STATUS_AT: Record<SnapStatus, string> = {
  '00': 'settlement',
  '01': 'authorize',
  '03': 'pending',
  '04': 'refund',
  '05': 'cancel',
  '06': 'failure',
  '08': 'expire',
  '09': 'deny',
};

/** Fault kinds that answer in Midtrans' place (the others delay or expire tokens, then let Midtrans answer). */
const ANSWERING: ReadonlySet<Fault['kind']> = new Set([
  'no-answer',
  'reset',
  'error-500',
  'error-504',
  'in-progress-202',
  'rate-limit-429',
]);

/** A response nobody reads: Midtrans' real answer when a processed fault replaces it. */
function discard(): ServerResponse {
  const sink = { headersSent: false, writeHead: () => sink, end: () => sink };
  return sink as unknown as ServerResponse;
}

const TLS13 = 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256';
const TLS12_GCM = 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256';
const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, failed) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', failed);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'x-timestamp': new Date().toISOString() }).end(text);
}

function parseJson(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const pki: SimPki = await createPki([...new Set([host, 'localhost', '127.0.0.1'])]);
  const merchant = options.merchantPublicKeyPem ? { publicKeyPem: options.merchantPublicKeyPem } : rsaKeyPair();
  const midtransKeys = new MidtransSigningKeys();
  const creds: Credentials = {
    clientId: `SIM-${randomBytes(4).toString('hex').toUpperCase()}-SNAP`,
    partnerId: `G${String(100_000_000 + Math.floor(Math.random() * 899_999_999))}`,
    channelId: '95221',
    clientSecrets: [randomBytes(24).toString('base64url')],
    merchantPublicKeys: [publicKeyOf(merchant.publicKeyPem)],
    retired: new Set(),
    revoked: false,
  };
  const serverKey = `SB-Mid-server-${randomBytes(18).toString('base64url')}`;
  const clientKey = `SB-Mid-client-${randomBytes(12).toString('base64url')}`;
  const merchantId = creds.partnerId;
  const store = new Store();
  const faults = new Faults();
  const amountLimits: Record<string, number> = { ...options.amountLimits };
  const requests: RequestLogEntry[] = [];
  const maxSkewMs = options.maxSkewMs ?? 5 * 60_000;
  const webhooks = new WebhookSender({
    key: () => midtransKeys.key,
    retiredKey: () => midtransKeys.retiredKey,
    wrongKey: createPrivateKey(rsaKeyPair().privateKeyPem),
    partnerId: creds.partnerId,
    merchantId,
    config: {
      timeScale: options.webhooks?.timeScale ?? 600,
      dropOrders: new Set(),
      duplicate: false,
      wrongSignature: false,
      retiredKeySignature: false,
      ...stripUndefined(options.webhooks ?? {}),
    },
  });
  let baseUrl = '';
  const onChange = (tx: Tx): void => {
    if (tx.kind === 'core') {
      const status = coreStatus(tx);
      webhooks.notifyCore(
        {
          ...status,
          status_message: 'midtrans payment notification',
          signature_key: signatureKey(tx.partnerReferenceNo, String(status['status_code']), tx.amount, serverKey),
        },
        tx.partnerReferenceNo,
      );
    } else webhooks.notify(tx);
  };
  const core = new CoreApi(store, () => baseUrl, onChange);
  store.onExpired = onChange;

  const log = (req: IncomingMessage, path: string, status: number, code?: string, fault?: Fault['kind']): void => {
    if (requests.length >= 10_000) requests.shift();
    requests.push({
      at: new Date().toISOString(),
      method: req.method ?? '',
      path,
      status,
      ...(code ? { responseCode: code } : {}),
      ...(fault ? { fault } : {}),
    });
  };

  const pay = (tx: Tx): boolean => {
    store.expireIfDue(tx);
    if (tx.status !== '03') return false;
    tx.status = '00';
    tx.paidAt = Date.now();
    if (tx.kind === 'core') tx.extra['transaction_status'] = 'settlement';
    store.record('paid', tx);
    onChange(tx);
    return true;
  };

  // The customer refuses in the e-wallet (or the QRIS app): BI-SNAP reports 06 failed, the Core API
  // deny. A card is declined on its 3DS page instead; a virtual account is simply never paid.
  const decline = (tx: Tx): boolean => {
    store.expireIfDue(tx);
    if (tx.status !== '03' || tx.kind === 'va' || tx.method === 'credit_card') return false;
    tx.status = tx.kind === 'core' ? '09' : '06';
    if (tx.kind === 'core') tx.extra['transaction_status'] = 'deny';
    store.record('failed', tx);
    onChange(tx);
    return true;
  };

  const snapAnswer = (
    res: ServerResponse,
    req: IncomingMessage,
    path: string,
    service: string,
    status: number,
    caseCode: string,
    message: string,
    body: Record<string, unknown> = {},
  ): void => {
    const code = responseCode(status, service, caseCode);
    log(req, path, status, code);
    json(res, status, { responseCode: code, responseMessage: message, ...body });
  };

  /**
   * Picks the request's fault. One that answers is applied now — Midtrans did nothing — unless it is
   * `processed`: then Midtrans does the work and the fault replaces its answer, which is returned in
   * `after` for `finish` to apply.
   */
  async function faultBefore(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    service: string,
  ): Promise<{ answered: boolean; after?: Fault }> {
    const fault = faults.pick(path);
    if (!fault) return { answered: false };
    if (fault.processed && ANSWERING.has(fault.kind)) return { answered: false, after: fault };
    return { answered: await applyFault(fault, req, res, path, service) };
  }

  /** Where a handler writes: the client, or nowhere when a processed fault replaces the answer. */
  const target = (res: ServerResponse, after: Fault | undefined): ServerResponse => (after ? discard() : res);

  async function finish(req: IncomingMessage, res: ServerResponse, path: string, service: string, after: Fault | undefined): Promise<void> {
    if (after) await applyFault(after, req, res, path, service);
  }

  async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse, path: string, service: string): Promise<boolean> {
    switch (fault.kind) {
      case 'latency':
        await new Promise((r) => setTimeout(r, fault.latencyMs ?? 1000));
        return false;
      // A request that gets no answer still reached Midtrans: it is logged, as it arrived, so an
      // outage can be measured by what clients kept sending into it.
      case 'no-answer':
        log(req, path, 0, undefined, fault.kind);
        setTimeout(() => res.socket?.destroy(), 120_000).unref();
        return true;
      case 'reset':
        log(req, path, 0, undefined, fault.kind);
        req.socket.destroy();
        return true;
      case 'token-expired':
        store.tokens.clear();
        return false;
      case 'error-500':
        snapAnswer(res, req, path, service, 500, '01', 'Internal Server Error');
        return true;
      case 'error-504':
        snapAnswer(res, req, path, service, 504, '00', 'Timeout');
        return true;
      case 'in-progress-202':
        snapAnswer(res, req, path, service, 202, '00', 'Request In Progress');
        return true;
      case 'rate-limit-429':
        snapAnswer(res, req, path, service, 429, '00', 'Too Many Requests');
        return true;
    }
  }

  async function handleToken(req: IncomingMessage, client: ServerResponse, raw: Buffer): Promise<void> {
    const path = '/v1.0/access-token/b2b';
    const { answered, after } = await faultBefore(req, client, path, '73');
    if (answered) return;
    const res = target(client, after);
    try {
      verifyTokenRequest(req.headers, creds, maxSkewMs);
      const body = parseJson(raw) ?? {};
      if (body['grantType'] !== 'client_credentials' && body['grant_type'] !== 'client_credentials') throw fail.badFormat('grantType');
      const accessToken = randomBytes(32).toString('base64url');
      store.tokens.set(accessToken, { clientId: creds.clientId, expiresAt: Date.now() + 900_000 });
      snapAnswer(res, req, path, '73', 200, '00', 'Successful', { accessToken, tokenType: 'Bearer', expiresIn: '900' });
    } catch (err) {
      if (!(err instanceof SnapFailure)) throw err;
      snapAnswer(res, req, path, '73', err.http, err.caseCode, err.message, { referenceNo: randomBytes(16).toString('hex') });
    }
    await finish(req, client, path, '73', after);
  }

  async function handleSnap(req: IncomingMessage, client: ServerResponse, path: string, raw: Buffer): Promise<void> {
    const route = snapRoutes[path];
    if (!route) {
      snapAnswer(client, req, path, '00', 404, '00', 'Not Found');
      return;
    }
    const { answered, after } = await faultBefore(req, client, path, route.service);
    if (answered) return;
    const res = target(client, after);
    try {
      verifyTransactional('POST', path, req.headers, raw, creds, store, maxSkewMs);
      const externalId = header(req.headers, 'x-external-id') ?? '';
      const key = `${creds.partnerId}:${externalId}`;
      const bodyHash = createHash('sha256').update(minify(raw)).digest('hex');
      const seen = store.idempotency.get(key);
      if (seen && Date.now() - seen.at < 24 * 3_600_000) {
        if (seen.bodyHash !== bodyHash) throw fail.conflict();
        log(req, path, seen.status, String((seen.body as Record<string, unknown>)['responseCode']));
        json(res, seen.status, seen.body);
        await finish(req, client, path, route.service, after);
        return;
      }
      const body = parseJson(raw);
      if (!body) throw fail.badFormat('body');
      const ctx: RouteContext = {
        store,
        externalId,
        customerBaseUrl: baseUrl,
        onChange,
        amountLimit: (method) => (Object.hasOwn(amountLimits, method) ? amountLimits[method] : undefined),
      };
      const answer = route.handle(body, ctx);
      const status = answer.status ?? 200;
      const code = responseCode(status, route.service, answer.caseCode ?? '00');
      const out = { responseCode: code, responseMessage: 'Successful', ...answer.body };
      store.idempotency.set(key, { bodyHash, status, body: out, at: Date.now() });
      log(req, path, status, code);
      json(res, status, out);
    } catch (err) {
      if (!(err instanceof SnapFailure)) throw err;
      snapAnswer(res, req, path, route.service, err.http, err.caseCode, err.message);
    }
    await finish(req, client, path, route.service, after);
  }

  async function handleCore(req: IncomingMessage, client: ServerResponse, url: URL, raw: Buffer): Promise<void> {
    const path = url.pathname;
    if (path === '/v2/token') {
      const a = core.token(url.searchParams);
      log(req, path, a.status, a.body['status_code'] as string);
      json(client, a.status, a.body);
      return;
    }
    const { answered, after } = await faultBefore(req, client, path, '00');
    if (answered) return;
    const res = target(client, after);
    if (!checkBasicAuth(header(req.headers, 'authorization'), serverKey)) {
      log(req, path, 401, '401');
      json(res, 401, {
        status_code: '401',
        status_message: 'Access denied due to unauthorized transaction, please check client or server key',
      });
      await finish(req, client, path, '00', after);
      return;
    }
    const body = parseJson(raw) ?? {};
    const m = /^\/v2\/([^/]+)\/(status|cancel|expire|refund|approve|deny|refund\/online\/direct)$/.exec(path);
    const a =
      path === '/v2/charge'
        ? core.charge(body, header(req.headers, 'idempotency-key'))
        : path === '/v2/capture'
          ? core.action(text(body['transaction_id']), 'approve', body)
          : m
            ? core.action(decodeURIComponent(m[1] ?? ''), m[2] ?? '', body)
            : { status: 404, body: { status_code: '404', status_message: 'Not Found' } };
    log(req, path, a.status, String(a.body['status_code']));
    // Core API answers 200 on the wire and carries the outcome in status_code, as Midtrans does.
    json(res, a.status >= 500 ? a.status : 200, a.body);
    await finish(req, client, path, '00', after);
  }

  function handleCustomer(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): void {
    const [, page, ref] = url.pathname.split('/');
    const tx = ref ? store.transactions.get(ref) : undefined;
    if (!tx) {
      res.writeHead(404, { 'content-type': 'text/html' }).end(donePage('No such payment'));
      return;
    }
    const html = (status: number, text: string): void =>
      void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(text);
    if (req.method === 'GET') {
      html(
        200,
        page === '3ds' ? threeDsPage(ref ?? '', text(tx.extra['masked_card']), tx.amount) : payPage(ref ?? '', tx.method, tx.amount),
      );
      return;
    }
    if (page === '3ds') {
      const otp = new URLSearchParams(raw.toString('utf8')).get('otp');
      core.completeThreeDs(tx, otp === '112233');
      html(200, donePage(tx.status === '09' ? 'Payment denied' : tx.status === '00' ? 'Payment successful' : 'Payment under review'));
      return;
    }
    if (new URLSearchParams(raw.toString('utf8')).get('decision') === 'decline') {
      html(200, donePage(decline(tx) ? 'Payment declined' : `Payment not possible (status ${tx.status})`));
      return;
    }
    html(200, donePage(pay(tx) ? 'Payment successful' : `Payment not possible (status ${tx.status})`));
  }

  // The dashboard's "resend notification": the transaction's notification again or, given an earlier
  // status, as it was then — a late delivery, which the merchant must not let move the order back.
  const renotify = (tx: Tx, status?: SnapStatus): void => {
    if (status === undefined || status === tx.status) {
      onChange(tx);
      return;
    }
    const coreAt = status === '00' && tx.method === 'credit_card' ? 'capture' : CORE_STATUS_AT[status];
    onChange({ ...tx, status, extra: { ...tx.extra, ...(tx.kind === 'core' ? { transaction_status: coreAt } : {}) } });
  };

  const admin = adminHandler({
    store,
    faults,
    webhooks,
    creds,
    pay,
    decline,
    renotify,
    amountLimits,
    midtransKeys,
    requests,
  });

  const server: Server = createServer(
    {
      cert: pki.serverCertPem,
      key: pki.serverKeyPem,
      minVersion: 'TLSv1.2',
      maxVersion: options.tls12Only ? 'TLSv1.2' : 'TLSv1.3',
      ciphers: `${TLS13}:${TLS12_GCM}`,
      honorCipherOrder: true,
      keepAliveTimeout: 65_000,
    },
    (req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'https://sim');
        const raw = await readBody(req);
        if (url.pathname.startsWith('/_sim/')) await admin(req, res, url, raw);
        else if (url.pathname.startsWith('/pay/') || url.pathname.startsWith('/3ds/')) handleCustomer(req, res, url, raw);
        else if (req.method === 'POST' && url.pathname === '/v1.0/access-token/b2b') await handleToken(req, res, raw);
        else if (req.method === 'POST' && url.pathname.startsWith('/v1.0/')) await handleSnap(req, res, url.pathname, raw);
        else if (url.pathname.startsWith('/v2/')) await handleCore(req, res, url, raw);
        else json(res, 404, { responseCode: '4040000', responseMessage: 'Not Found' });
      })().catch(() => {
        if (!res.headersSent) json(res, 500, { responseCode: '5000001', responseMessage: 'Internal Server Error' });
      });
    },
  );
  await new Promise<void>((done) => server.listen(options.port ?? 0, host, done));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://${host.includes(':') ? `[${host}]` : host}:${String(port)}`;
  return {
    baseUrl,
    adminUrl: `${baseUrl}/_sim`,
    caCertPem: pki.caCertPem,
    credentials: {
      clientId: creds.clientId,
      partnerId: creds.partnerId,
      channelId: creds.channelId,
      merchantId,
      get clientSecret() {
        return creds.clientSecrets[0] ?? '';
      },
      serverKey,
      clientKey,
      ...('privateKeyPem' in merchant ? { merchantPrivateKeyPem: merchant.privateKeyPem } : {}),
      merchantPublicKeyPem: merchant.publicKeyPem,
      get midtransPublicKeyPem() {
        return midtransKeys.publicKeyPem;
      },
    },
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

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
