// What every handler works over: the simulator's credentials and keys, its store and ledger, the
// fault registry, the webhook sender and the options it started with. One per running simulator.
import { createPrivateKey, randomBytes } from 'node:crypto';
import { CoreApi } from './core-api.ts';
import { coreStatus, signatureKey } from './core-wire.ts';
import { MidtransSigningKeys } from './credentials.ts';
import { Faults } from './faults.ts';
import { rsaKeyPair } from './pki.ts';
import type { RequestLogEntry } from './request-log.ts';
import type { SimulatorOptions } from './simulator-api.ts';
import { publicKeyOf, type Credentials } from './snap-auth.ts';
import { Store, type Tx } from './store.ts';
import { WebhookSender } from './webhooks.ts';

export interface SimContext {
  readonly options: SimulatorOptions;
  readonly creds: Credentials;
  readonly serverKey: string;
  readonly clientKey: string;
  /** The merchant key pair the simulator started with (only the public half when one was given). */
  readonly merchant: { readonly publicKeyPem: string; readonly privateKeyPem?: string };
  readonly midtransKeys: MidtransSigningKeys;
  readonly store: Store;
  readonly faults: Faults;
  readonly webhooks: WebhookSender;
  readonly core: CoreApi;
  /** Per-method amount limits, changeable while running. */
  readonly amountLimits: Record<string, number>;
  readonly requests: RequestLogEntry[];
  /** Allowed X-TIMESTAMP skew. */
  readonly maxSkewMs: number;
  /** Where the simulator listens; known once the server is listening. */
  baseUrl: string;
}

function newCredentials(merchantPublicKeyPem: string): Credentials {
  return {
    clientId: `SIM-${randomBytes(4).toString('hex').toUpperCase()}-SNAP`,
    partnerId: `G${String(100_000_000 + Math.floor(Math.random() * 899_999_999))}`,
    channelId: '95221',
    clientSecrets: [randomBytes(24).toString('base64url')],
    merchantPublicKeys: [publicKeyOf(merchantPublicKeyPem)],
    retired: new Set(),
    revoked: false,
  };
}

function newWebhookSender(options: SimulatorOptions, midtransKeys: MidtransSigningKeys, partnerId: string): WebhookSender {
  return new WebhookSender({
    key: () => midtransKeys.key,
    retiredKey: () => midtransKeys.retiredKey,
    wrongKey: createPrivateKey(rsaKeyPair().privateKeyPem),
    partnerId,
    merchantId: partnerId,
    config: {
      timeScale: options.webhooks?.timeScale ?? 600,
      dropOrders: new Set(),
      duplicate: false,
      wrongSignature: false,
      retiredKeySignature: false,
      ...stripUndefined(options.webhooks ?? {}),
    },
  });
}

export function createContext(options: SimulatorOptions): SimContext {
  const merchant = options.merchantPublicKeyPem ? { publicKeyPem: options.merchantPublicKeyPem } : rsaKeyPair();
  const midtransKeys = new MidtransSigningKeys();
  const creds = newCredentials(merchant.publicKeyPem);
  const serverKey = `SB-Mid-server-${randomBytes(18).toString('base64url')}`;
  const clientKey = `SB-Mid-client-${randomBytes(12).toString('base64url')}`;
  const store = new Store();
  const faults = new Faults();
  const amountLimits: Record<string, number> = { ...options.amountLimits };
  const requests: RequestLogEntry[] = [];
  const maxSkewMs = options.maxSkewMs ?? 5 * 60_000;
  const webhooks = newWebhookSender(options, midtransKeys, creds.partnerId);
  // The Core API and the store call back only once the context below exists.
  const notify = (tx: Tx): void => {
    notifyMerchant(ctx, tx);
  };
  const core = new CoreApi(store, () => ctx.baseUrl, notify);
  const ctx: SimContext = {
    options,
    creds,
    serverKey,
    clientKey,
    merchant,
    midtransKeys,
    store,
    faults,
    webhooks,
    core,
    amountLimits,
    requests,
    maxSkewMs,
    baseUrl: '',
  };
  store.onExpired = notify;
  return ctx;
}

/** A transaction changed state: the merchant is notified, over BI-SNAP or with a Core API notification. */
export function notifyMerchant(ctx: SimContext, tx: Tx): void {
  if (tx.kind !== 'core') {
    ctx.webhooks.notify(tx);
    return;
  }
  const status = coreStatus(tx);
  ctx.webhooks.notifyCore(
    {
      ...status,
      status_message: 'midtrans payment notification',
      signature_key: signatureKey(tx.partnerReferenceNo, String(status['status_code']), tx.amount, ctx.serverKey),
    },
    tx.partnerReferenceNo,
  );
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
