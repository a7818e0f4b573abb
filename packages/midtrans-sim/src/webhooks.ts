// Notifications to the merchant on every state change: BI-SNAP ones signed with the simulator's
// Midtrans key over the compact body, retried on anything but HTTP 200 on Midtrans' schedule
// (2, 10, 30, 90, 210 minutes) compressed by a time-scale factor.
import { createHash, randomInt, sign, type KeyObject } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Tx } from './store.ts';

export const RETRY_MINUTES = [2, 10, 30, 90, 210];

export interface WebhookConfig {
  /** Merchant SNAP base URL; the notify path is appended (e.g. `/v1.0/debit/notify`). */
  snapBaseUrl?: string;
  /** How much faster than real time retries happen (600 → 2 minutes become 0.2 s). */
  timeScale: number;
  /** Orders whose notifications are dropped, to exercise status inquiries. */
  readonly dropOrders: Set<string>;
  /** Send every notification twice. */
  duplicate: boolean;
  /** Sign with a wrong key (fault injection). */
  wrongSignature: boolean;
  /** Sign with the Midtrans key retired by the last rotation: what a holder of a compromised old key sends. */
  retiredKeySignature: boolean;
  /** Core API HTTP notification URL (legacy notifications with `signature_key`). */
  coreNotificationUrl?: string;
  /** Extra CA for an HTTPS receiver. */
  caPem?: string;
}

export interface Delivery {
  /** The merchant order (partnerReferenceNo / trxId / Core API order_id) the notification is about. */
  readonly orderId: string;
  readonly url: string;
  readonly status: number | string;
  readonly attempt: number;
  readonly at: string;
}

const NOTIFY_PATH: Record<string, string> = {
  debit: '/v1.0/debit/notify',
  qris: '/v1.0/qr/qr-mpm-notify',
  va: '/v1.0/transfer-va/payment',
};
const DESC: Record<string, string> = {
  '00': 'SUCCESS',
  '03': 'PENDING',
  '04': 'REFUNDED',
  '05': 'CANCELED',
  '06': 'FAILED',
  '08': 'EXPIRED',
  '09': 'DENIED',
};

function wib(at = new Date()): string {
  return `${new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}

export function notificationBody(tx: Tx, merchantId: string): Record<string, unknown> {
  if (tx.kind === 'va') {
    return {
      partnerServiceId: tx.extra['partnerServiceId'],
      customerNo: tx.extra['customerNo'],
      virtualAccountNo: tx.extra['virtualAccountNo'],
      trxId: tx.partnerReferenceNo,
      paymentRequestId: tx.referenceNo,
      paidAmount: { value: tx.amount, currency: 'IDR' },
      referenceNo: tx.referenceNo,
      additionalInfo: {
        bank: tx.extra['bank'],
        merchantId,
        paymentFlagStatus: tx.status,
        ...(tx.paidAt ? { paidTime: wib(new Date(tx.paidAt)) } : {}),
      },
    };
  }
  return {
    originalPartnerReferenceNo: tx.partnerReferenceNo,
    originalReferenceNo: tx.referenceNo,
    originalExternalId: tx.externalId,
    merchantId,
    amount: { value: tx.amount, currency: 'IDR' },
    latestTransactionStatus: tx.status,
    transactionStatusDesc: DESC[tx.status] ?? 'PENDING',
    additionalInfo: {
      refundHistory: tx.refunds.map((r) => ({
        refundNo: r.refundNo,
        partnerReferenceNo: r.partnerRefundNo,
        refundAmount: { value: r.amount, currency: 'IDR' },
      })),
    },
  };
}

export class WebhookSender {
  readonly config: WebhookConfig;
  readonly deliveries: Delivery[] = [];
  readonly #key: () => KeyObject;
  readonly #retiredKey: () => KeyObject | undefined;
  readonly #wrongKey: KeyObject;
  readonly #partnerId: string;
  readonly #merchantId: string;
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Notifications per order still being delivered or waiting for a retry. */
  readonly #outstanding = new Map<string, number>();

  constructor(opts: {
    key: () => KeyObject;
    retiredKey: () => KeyObject | undefined;
    wrongKey: KeyObject;
    partnerId: string;
    merchantId: string;
    config: WebhookConfig;
  }) {
    this.#key = opts.key;
    this.#retiredKey = opts.retiredKey;
    this.#wrongKey = opts.wrongKey;
    this.#partnerId = opts.partnerId;
    this.#merchantId = opts.merchantId;
    this.config = opts.config;
  }

  notify(tx: Tx): void {
    const base = this.config.snapBaseUrl;
    const path = NOTIFY_PATH[tx.kind];
    if (!base || !path || this.config.dropOrders.has(tx.partnerReferenceNo)) return;
    const url = new URL(base.replace(/\/$/, '') + path);
    const body = Buffer.from(JSON.stringify(notificationBody(tx, this.#merchantId)));
    const times = this.config.duplicate ? 2 : 1;
    for (let i = 0; i < times; i++) this.#start(tx.partnerReferenceNo, url, body, true);
  }

  /** A Core API notification: the transaction JSON carrying its `signature_key`. */
  notifyCore(body: Record<string, unknown>, orderId: string): void {
    const target = this.config.coreNotificationUrl;
    if (!target || this.config.dropOrders.has(orderId)) return;
    const bytes = Buffer.from(JSON.stringify(body));
    const times = this.config.duplicate ? 2 : 1;
    for (let i = 0; i < times; i++) this.#start(orderId, new URL(target), bytes, false);
  }

  /**
   * How many notifications about this order (or about any order) are still being delivered or wait
   * for a retry: 0 means every one sent so far has been answered 200 or has run out of retries.
   */
  outstanding(orderId?: string): number {
    if (orderId !== undefined) return this.#outstanding.get(orderId) ?? 0;
    let n = 0;
    for (const v of this.#outstanding.values()) n += v;
    return n;
  }

  #start(orderId: string, url: URL, body: Buffer, snap: boolean): void {
    this.#outstanding.set(orderId, this.outstanding(orderId) + 1);
    this.#deliver(orderId, url, body, 0, snap);
  }

  #finish(orderId: string): void {
    const left = this.outstanding(orderId) - 1;
    if (left > 0) this.#outstanding.set(orderId, left);
    else this.#outstanding.delete(orderId);
  }

  #headers(url: URL, body: Buffer, snap: boolean): Record<string, string> {
    const base = { 'content-type': 'application/json', 'content-length': String(body.length) };
    if (!snap) return { ...base, 'user-agent': 'Veritrans' };
    const timestamp = wib();
    const sts = `POST:${url.pathname}:${createHash('sha256').update(body).digest('hex')}:${timestamp}`;
    const signature = sign('RSA-SHA256', Buffer.from(sts), this.#signingKey()).toString('base64');
    return {
      ...base,
      'x-timestamp': timestamp,
      'x-signature': signature,
      'x-partner-id': this.#partnerId,
      'x-external-id': String(randomInt(1e9, 1e10 - 1)),
      'channel-id': '95221',
    };
  }

  #signingKey(): KeyObject {
    if (this.config.wrongSignature) return this.#wrongKey;
    return (this.config.retiredKeySignature ? this.#retiredKey() : undefined) ?? this.#key();
  }

  #deliver(orderId: string, url: URL, body: Buffer, attempt: number, snap: boolean): void {
    const headers = this.#headers(url, body, snap);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers, timeout: 15_000, ...(this.config.caPem ? { ca: this.config.caPem } : {}) }, (res) => {
      res.resume();
      this.#done(orderId, url, body, attempt, res.statusCode ?? 0, snap);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => this.#done(orderId, url, body, attempt, err.message, snap));
    req.end(body);
  }

  #done(orderId: string, url: URL, body: Buffer, attempt: number, status: number | string, snap: boolean): void {
    if (this.deliveries.length > 10_000) this.deliveries.shift();
    this.deliveries.push({ orderId, url: url.href, status, attempt, at: new Date().toISOString() });
    const minutes = RETRY_MINUTES[attempt];
    if (status === 200 || minutes === undefined) {
      this.#finish(orderId);
      return;
    }
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        this.#deliver(orderId, url, body, attempt + 1, snap);
      },
      (minutes * 60_000) / this.config.timeScale,
    );
    timer.unref();
    this.#timers.add(timer);
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#outstanding.clear();
  }
}
