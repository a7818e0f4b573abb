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

/** The transaction a body names: by reference, scanned QR content, typed VA number, or merchant order. */
export function findTx(store: Store, body: Body): Tx | undefined {
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
