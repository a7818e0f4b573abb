// The simulator's memory: transactions with their state machine, the idempotency store (24 h TTL),
// access tokens and a ledger. Every store is capped so a long run cannot grow without bound.
import { randomBytes } from 'node:crypto';

export type SnapStatus = '00' | '01' | '03' | '04' | '05' | '06' | '08' | '09';
export type TxKind = 'debit' | 'qris' | 'va' | 'core';

export interface Tx {
  readonly referenceNo: string;
  readonly kind: TxKind;
  readonly method: string;
  readonly partnerReferenceNo: string;
  readonly externalId: string;
  /** Amount as sent, `"10000.00"`. */
  readonly amount: string;
  status: SnapStatus;
  readonly createdAt: number;
  readonly validUntil: number;
  paidAt?: number;
  refunds: { refundNo: string; partnerRefundNo: string; amount: string; at: number }[];
  /** Method-specific data echoed in answers (VA numbers, QR content, Core API fields). */
  readonly extra: Record<string, unknown>;
}

export interface LedgerEntry {
  readonly at: string;
  /** `challenge`: a card payment held by the fraud system for review (approve / deny settles it). */
  readonly event: 'charge' | 'paid' | 'challenge' | 'canceled' | 'expired' | 'refund' | 'failed';
  readonly referenceNo: string;
  readonly partnerReferenceNo: string;
  readonly method: string;
  readonly amount: string;
}

export const LIMITS = { transactions: 200_000, idempotencyKeys: 200_000, ledger: 500_000, idempotencyTtlMs: 24 * 3_600_000 };

/**
 * A Map that forgets its oldest entries past `cap`, a tenth of it at a time. Deleting from the front
 * of a Map one entry per insert leaves holes V8 does not compact while the size stays put, so each
 * `keys().next()` walked every hole before it: past the cap an insert cost grew with every insert
 * since (about half a millisecond per insert after 300,000 evictions, for each map a charge fills).
 * One pass per tenth walks them once per 10 % of `cap` instead.
 */
export class CappedMap<K, V> extends Map<K, V> {
  readonly #cap: number;
  readonly #slack: number;
  constructor(cap: number) {
    super();
    this.#cap = cap;
    this.#slack = Math.max(1, Math.floor(cap / 10));
  }
  override set(key: K, value: V): this {
    if (this.size >= this.#cap + this.#slack && !this.has(key)) {
      let n = this.size - this.#cap + 1;
      for (const oldest of this.keys()) {
        this.delete(oldest);
        if (--n === 0) break;
      }
    }
    return super.set(key, value);
  }
}

export interface StoredAnswer {
  readonly bodyHash: string;
  readonly status: number;
  readonly body: unknown;
  readonly at: number;
}

export class Store {
  readonly transactions = new CappedMap<string, Tx>(LIMITS.transactions);
  readonly byPartnerRef = new CappedMap<string, string>(LIMITS.transactions);
  /** What a customer quotes to pay a Core API charge (its VA number, its payment code), spaces removed. */
  readonly byPaymentRef = new CappedMap<string, string>(LIMITS.transactions);
  readonly idempotency = new CappedMap<string, StoredAnswer>(LIMITS.idempotencyKeys);
  readonly tokens = new CappedMap<string, { clientId: string; expiresAt: number }>(100_000);
  readonly ledger: LedgerEntry[] = [];
  /** Told of every expiry, however it was noticed, so the merchant is notified as Midtrans does. */
  onExpired: (tx: Tx) => void = () => undefined;

  newReference(): string {
    return `A1${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(6).toString('base64url')}ID`;
  }

  record(event: LedgerEntry['event'], tx: Tx, amount = tx.amount): void {
    // Trimmed a tenth at a time: a splice of the whole array on every entry past the limit made long
    // runs slower with every charge.
    if (this.ledger.length >= LIMITS.ledger + LIMITS.ledger / 10) this.ledger.splice(0, this.ledger.length - LIMITS.ledger);
    this.ledger.push({
      at: new Date().toISOString(),
      event,
      referenceNo: tx.referenceNo,
      partnerReferenceNo: tx.partnerReferenceNo,
      method: tx.method,
      amount,
    });
  }

  add(tx: Tx): void {
    this.transactions.set(tx.referenceNo, tx);
    this.byPartnerRef.set(`${tx.kind}:${tx.partnerReferenceNo}`, tx.referenceNo);
    this.byPartnerRef.set(`ext:${tx.externalId}`, tx.referenceNo);
    this.record('charge', tx);
  }

  addPaymentReference(reference: string, tx: Tx): void {
    if (reference) this.byPaymentRef.set(reference.replace(/ /g, ''), tx.referenceNo);
  }

  /** The transaction a customer's VA number or payment code names. */
  findByPaymentReference(reference: string): Tx | undefined {
    const key = this.byPaymentRef.get(reference.replace(/ /g, ''));
    const tx = key ? this.transactions.get(key) : undefined;
    if (tx) this.expireIfDue(tx);
    return tx;
  }

  /** Finds a transaction by Midtrans reference, partner reference or original external id. */
  find(kind: TxKind, ids: { referenceNo?: unknown; partnerReferenceNo?: unknown; externalId?: unknown }): Tx | undefined {
    const byRef = typeof ids.referenceNo === 'string' ? this.transactions.get(ids.referenceNo) : undefined;
    const key =
      typeof ids.partnerReferenceNo === 'string'
        ? this.byPartnerRef.get(`${kind}:${ids.partnerReferenceNo}`)
        : typeof ids.externalId === 'string'
          ? this.byPartnerRef.get(`ext:${ids.externalId}`)
          : undefined;
    const tx = byRef ?? (key ? this.transactions.get(key) : undefined);
    if (tx) this.expireIfDue(tx);
    return tx;
  }

  /** Pending past its validity becomes expired, as Midtrans does at validUpTo. */
  expireIfDue(tx: Tx, now = Date.now()): boolean {
    // A card under fraud review is not pending for the customer any more: only approve / deny settle it.
    if ((tx.status === '03' || tx.status === '01') && now >= tx.validUntil && tx.extra['fraud_status'] !== 'challenge') {
      tx.status = '08';
      if (tx.kind === 'core') tx.extra['transaction_status'] = 'expire';
      this.record('expired', tx);
      this.onExpired(tx);
      return true;
    }
    return false;
  }
}
