// The admin API under /_sim/ that tests and the demo drive: customers paying, expiry, faults, key
// rotation, revocation, webhook targets, and read access to the ledger and the request log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CredentialRefusal,
  endTransition,
  issueCredentials,
  registerMerchantKey,
  rotateClientSecret,
  type MidtransSigningKeys,
} from './credentials.ts';
import type { Faults, FaultKind } from './faults.ts';
import type { Credentials } from './snap-auth.ts';
import type { SnapStatus, Store, Tx } from './store.ts';
import type { WebhookSender } from './webhooks.ts';

export interface AdminDeps {
  readonly store: Store;
  readonly faults: Faults;
  readonly webhooks: WebhookSender;
  readonly creds: Credentials;
  readonly pay: (tx: Tx) => boolean;
  readonly decline: (tx: Tx) => boolean;
  readonly renotify: (tx: Tx, status?: SnapStatus) => void;
  readonly amountLimits: Record<string, number>;
  readonly midtransKeys: MidtransSigningKeys;
  readonly requests: readonly unknown[];
}

type Body = Record<string, unknown>;

const SNAP_STATUSES: readonly string[] = ['00', '01', '03', '04', '05', '06', '08', '09'] satisfies SnapStatus[];

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Runs a key-lifecycle request, answering its refusal (400, 409) instead of throwing. */
function lifecycle(res: ServerResponse, act: () => unknown): void {
  try {
    send(res, 200, act());
  } catch (err) {
    if (!(err instanceof CredentialRefusal)) throw err;
    send(res, err.http, { error: err.message });
  }
}

function findTx(store: Store, body: Body): Tx | undefined {
  const ref = body['referenceNo'];
  if (typeof ref === 'string') return store.transactions.get(ref);
  // What a customer's QRIS app scanned: the QR content names the transaction.
  const qr = body['qrContent'];
  if (typeof qr === 'string') return [...store.transactions.values()].find((t) => t.kind === 'qris' && t.extra['qrContent'] === qr);
  // What a payer typed into the banking app or the ATM: the digits of the virtual account number.
  const va = body['vaNumber'];
  if (typeof va === 'string')
    return [...store.transactions.values()].find(
      (t) => t.kind === 'va' && t.status === '03' && String(t.extra['virtualAccountNo']).replace(/ /g, '') === va.replace(/ /g, ''),
    );
  const order = body['partnerReferenceNo'] ?? body['orderId'];
  if (typeof order !== 'string') return undefined;
  for (const kind of ['debit', 'qris', 'va', 'core'] as const) {
    const tx = store.find(kind, { partnerReferenceNo: order });
    if (tx) return tx;
  }
  return undefined;
}

export function adminHandler(d: AdminDeps): (req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) => Promise<void> {
  return (req, res, url, raw) => {
    let body: Body = {};
    try {
      body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Body) : {};
    } catch {
      send(res, 400, { error: 'body must be JSON' });
      return Promise.resolve();
    }
    const route = `${req.method ?? 'GET'} ${url.pathname.slice('/_sim'.length)}`;
    const tx = (): Tx | undefined => findTx(d.store, body);
    switch (route) {
      case 'POST /pay': {
        const t = tx();
        if (!t) send(res, 404, { error: 'no such transaction' });
        else send(res, d.pay(t) ? 200 : 409, { referenceNo: t.referenceNo, status: t.status });
        return Promise.resolve();
      }
      case 'POST /decline': {
        const t = tx();
        if (!t) send(res, 404, { error: 'no such transaction' });
        else send(res, d.decline(t) ? 200 : 409, { referenceNo: t.referenceNo, status: t.status });
        return Promise.resolve();
      }
      case 'POST /renotify': {
        const t = tx();
        const status = body['status'];
        if (!t) send(res, 404, { error: 'no such transaction' });
        else if (status !== undefined && (typeof status !== 'string' || !SNAP_STATUSES.includes(status)))
          send(res, 400, { error: `status is one of ${SNAP_STATUSES.join(', ')}` });
        else {
          d.renotify(t, status as SnapStatus | undefined);
          send(res, 200, { referenceNo: t.referenceNo, status: status ?? t.status });
        }
        return Promise.resolve();
      }
      case 'POST /limits': {
        const method = body['method'];
        const max = body['maxAmount'];
        if (typeof method !== 'string' || (max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)))
          send(res, 400, { error: 'give { method, maxAmount: positive whole rupiah, or null to lift the limit }' });
        else {
          if (max === null) Reflect.deleteProperty(d.amountLimits, method);
          else d.amountLimits[method] = max;
          send(res, 200, { amountLimits: d.amountLimits });
        }
        return Promise.resolve();
      }
      case 'POST /expire': {
        const t = tx();
        if (!t) send(res, 404, { error: 'no such transaction' });
        else {
          d.store.expireIfDue(t, Number.POSITIVE_INFINITY);
          send(res, 200, { referenceNo: t.referenceNo, status: t.status });
        }
        return Promise.resolve();
      }
      case 'GET /transactions': {
        const t = tx() ?? (url.searchParams.get('orderId') ? findTx(d.store, { orderId: url.searchParams.get('orderId') }) : undefined);
        send(res, t ? 200 : 404, t ?? { error: 'no such transaction' });
        return Promise.resolve();
      }
      case 'POST /faults':
        try {
          d.faults.add({
            kind: body['kind'] as FaultKind,
            path: typeof body['path'] === 'string' ? body['path'] : '*',
            ...(typeof body['count'] === 'number' ? { remaining: body['count'] } : {}),
            ...(typeof body['probability'] === 'number' ? { probability: body['probability'] } : {}),
            ...(typeof body['latencyMs'] === 'number' ? { latencyMs: body['latencyMs'] } : {}),
            ...(body['processed'] === true ? { processed: true } : {}),
          });
          send(res, 200, { faults: d.faults.list() });
        } catch (err) {
          send(res, 400, { error: (err as Error).message });
        }
        return Promise.resolve();
      case 'DELETE /faults':
        d.faults.clear();
        send(res, 200, { faults: [] });
        return Promise.resolve();
      case 'POST /webhooks': {
        const c = d.webhooks.config;
        if (typeof body['snapBaseUrl'] === 'string') c.snapBaseUrl = body['snapBaseUrl'];
        if (typeof body['coreNotificationUrl'] === 'string') c.coreNotificationUrl = body['coreNotificationUrl'];
        if (typeof body['caPem'] === 'string') c.caPem = body['caPem'];
        if (typeof body['timeScale'] === 'number' && body['timeScale'] > 0) c.timeScale = body['timeScale'];
        if (typeof body['duplicate'] === 'boolean') c.duplicate = body['duplicate'];
        if (typeof body['wrongSignature'] === 'boolean') c.wrongSignature = body['wrongSignature'];
        if (typeof body['retiredKeySignature'] === 'boolean') c.retiredKeySignature = body['retiredKeySignature'];
        if (Array.isArray(body['dropOrders'])) for (const o of body['dropOrders']) c.dropOrders.add(String(o));
        if (Array.isArray(body['deliverOrders'])) for (const o of body['deliverOrders']) c.dropOrders.delete(String(o));
        send(res, 200, {
          snapBaseUrl: c.snapBaseUrl,
          coreNotificationUrl: c.coreNotificationUrl,
          timeScale: c.timeScale,
          duplicate: c.duplicate,
          wrongSignature: c.wrongSignature,
          retiredKeySignature: c.retiredKeySignature,
          dropOrders: [...c.dropOrders],
        });
        return Promise.resolve();
      }
      case 'GET /deliveries':
        send(res, 200, d.webhooks.deliveries);
        return Promise.resolve();
      case 'POST /announce-midtrans-key':
        send(res, 200, { midtransPublicKeyPem: d.midtransKeys.announce() });
        return Promise.resolve();
      case 'POST /rotate-midtrans-key':
        send(res, 200, { midtransPublicKeyPem: d.midtransKeys.rotate() });
        return Promise.resolve();
      case 'POST /merchant-public-key':
        lifecycle(res, () => {
          registerMerchantKey(d.creds, body['publicKeyPem']);
          return { acceptedKeys: d.creds.merchantPublicKeys.length };
        });
        return Promise.resolve();
      case 'POST /rotate-client-secret':
        lifecycle(res, () => ({ clientSecret: rotateClientSecret(d.creds) }));
        return Promise.resolve();
      case 'POST /end-transition':
        endTransition(d.creds);
        send(res, 200, { acceptedKeys: 1, acceptedSecrets: 1 });
        return Promise.resolve();
      case 'POST /issue-credentials':
        lifecycle(res, () => {
          const clientSecret = issueCredentials(d.creds, body['merchantPublicKeyPem']);
          d.store.tokens.clear();
          return { clientSecret };
        });
        return Promise.resolve();
      case 'POST /revoke':
        d.creds.revoked = true;
        d.store.tokens.clear();
        send(res, 200, { revoked: true });
        return Promise.resolve();
      case 'POST /reinstate':
        d.creds.revoked = false;
        send(res, 200, { revoked: false });
        return Promise.resolve();
      case 'GET /ledger':
        send(res, 200, d.store.ledger);
        return Promise.resolve();
      case 'GET /requests':
        send(res, 200, d.requests);
        return Promise.resolve();
      case 'GET /stats': {
        const byStatus: Record<string, number> = {};
        for (const t of d.store.transactions.values()) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
        send(res, 200, {
          transactions: d.store.transactions.size,
          byStatus,
          ledger: d.store.ledger.length,
          requests: d.requests.length,
          idempotencyKeys: d.store.idempotency.size,
          deliveries: d.webhooks.deliveries.length,
        });
        return Promise.resolve();
      }
      default:
        send(res, 404, { error: `unknown admin route ${route}` });
        return Promise.resolve();
    }
  };
}
