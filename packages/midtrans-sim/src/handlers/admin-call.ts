// What an admin route gets: the simulator, the parsed request, and the transaction the body names.
import type { ServerResponse } from 'node:http';
import type { SimContext } from '../context.ts';
import type { Store, Tx } from '../store.ts';

export type Body = Record<string, unknown>;

export interface AdminCall {
  readonly ctx: SimContext;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly body: Body;
  /** The transaction the body names (see `findTx`). */
  readonly tx: () => Tx | undefined;
}

/** Admin routes by `METHOD /path` (the path after `/_sim`). */
export type AdminRoutes = Readonly<Record<string, (call: AdminCall) => void>>;

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

type Lookup = (store: Store, value: string) => Tx | undefined;

const byTransactionId: Lookup = (store, ref) => store.transactions.get(ref);

// What a customer's QRIS app scanned: the QR content names the transaction.
const byQrContent: Lookup = (store, qr) => [...store.transactions.values()].find((t) => t.kind === 'qris' && t.extra['qrContent'] === qr);

// What a payer typed into the banking app or the ATM: the digits of an open BI-SNAP virtual account, or of a Core API one.
const byVaNumber: Lookup = (store, va) =>
  [...store.transactions.values()].find(
    (t) => t.kind === 'va' && t.status === '03' && String(t.extra['virtualAccountNo']).replace(/ /g, '') === va.replace(/ /g, ''),
  ) ?? store.findByPaymentReference(va);

const byOrder: Lookup = (store, order) => {
  for (const kind of ['debit', 'qris', 'va', 'core'] as const) {
    const tx = store.find(kind, { partnerReferenceNo: order });
    if (tx) return tx;
  }
  return undefined;
};

// Any of them: what a test knows of the transaction, whichever it is.
const byAnyReference: Lookup = (store, ref) =>
  byTransactionId(store, ref) ??
  byOrder(store, ref) ??
  store.findByPaymentReference(ref) ??
  byQrContent(store, ref) ??
  byVaNumber(store, ref);

/** The body fields that name a transaction, in the order they are tried. */
const LOOKUPS: readonly (readonly [string, Lookup])[] = [
  ['referenceNo', byTransactionId],
  ['qrContent', byQrContent],
  ['vaNumber', byVaNumber],
  ['paymentCode', (store, code) => store.findByPaymentReference(code)],
  ['partnerReferenceNo', byOrder],
  ['orderId', byOrder],
  ['reference', byAnyReference],
];

/**
 * The transaction a body names: by transaction id (`referenceNo`), scanned QR content, VA number,
 * payment code (a cstore charge's), merchant order, or `reference`, which may be any of them.
 */
export function findTx(store: Store, body: Body): Tx | undefined {
  for (const [field, lookup] of LOOKUPS) {
    const value = body[field];
    if (typeof value === 'string') return lookup(store, value);
  }
  return undefined;
}
