// Core API v2 (Basic auth with the server key): charges per payment type (the rows of core-types/),
// the transaction actions, and card tokens; a card charge redirects to the 3DS page (three-ds.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { chargeAnswer, chargeEnv, chargeRequest, duplicateOrder, newCoreTx } from './core-charge.ts';
import type { CardToken } from './core-types/payment-type.ts';
import { coreStatus, notAllowed, text, type Body, type CoreAnswer } from './core-wire.ts';
import type { LedgerEntry, SnapStatus, Store, Tx } from './store.ts';

type Move = 'capture' | 'cancel' | 'expire' | 'deny' | 'refund';

/** The BI-SNAP status and the ledger event of each Core API transaction_status an action moves to. */
const MOVES: Record<Move, { readonly status: SnapStatus; readonly event: LedgerEntry['event'] }> = {
  capture: { status: '00', event: 'paid' },
  cancel: { status: '05', event: 'canceled' },
  expire: { status: '08', event: 'expired' },
  deny: { status: '09', event: 'failed' },
  refund: { status: '04', event: 'refund' },
};

export class CoreApi {
  readonly #store: Store;
  readonly #baseUrl: () => string;
  readonly #onChange: (tx: Tx) => void;
  readonly #tokens = new Map<string, CardToken>();
  readonly #idempotency = new Map<string, CoreAnswer>();

  constructor(store: Store, baseUrl: () => string, onChange: (tx: Tx) => void) {
    this.#store = store;
    this.#baseUrl = baseUrl;
    this.#onChange = onChange;
  }

  /** `GET /v2/token?card_number=…&card_exp_month=…&card_exp_year=…&card_cvv=…&client_key=…` */
  token(query: URLSearchParams): CoreAnswer {
    const card = query.get('card_number') ?? '';
    if (!/^\d{12,19}$/.test(card) || !query.get('card_cvv') || !query.get('card_exp_month') || !query.get('card_exp_year')) {
      return {
        status: 400,
        body: {
          status_code: '400',
          status_message: 'One or more parameters in the payload is invalid.',
          validation_messages: ['card data is invalid'],
        },
      };
    }
    const tokenId = `${card.slice(0, 6)}-${card.slice(-4)}-${randomUUID()}`;
    this.#tokens.set(tokenId, { card, expiresAt: Date.now() + 15 * 60_000 });
    return {
      status: 200,
      body: {
        status_code: '200',
        status_message: 'OK, success request new token',
        token_id: tokenId,
        hash: randomBytes(8).toString('hex'),
      },
    };
  }

  charge(body: Body, idempotencyKey: string | undefined): CoreAnswer {
    if (idempotencyKey && this.#idempotency.has(idempotencyKey)) return this.#idempotency.get(idempotencyKey) as CoreAnswer;
    const answer = this.#charge(body);
    if (idempotencyKey && answer.status < 500) this.#idempotency.set(idempotencyKey, answer);
    return answer;
  }

  #charge(body: Body): CoreAnswer {
    const request = chargeRequest(body);
    if ('status' in request) return request;
    if (this.#store.find('core', { partnerReferenceNo: request.orderId })) return duplicateOrder();
    const { type } = request;
    const tx = newCoreTx(request);
    const env = chargeEnv(type, tx, this.#baseUrl(), this.#tokens);
    const refused = type.open?.(tx, body, env);
    if (refused) return refused;
    this.#store.add(tx);
    for (const reference of type.references?.(tx) ?? []) this.#store.addPaymentReference(reference, tx);
    return chargeAnswer(type, tx, env);
  }

  /** `/v2/{id}/status|cancel|expire|refund|approve|deny`, `/v2/{id}/refund/online/direct`. */
  action(id: string, action: string, body: Body): CoreAnswer {
    const tx = this.#store.find('core', { partnerReferenceNo: id, referenceNo: id });
    if (!tx) return { status: 404, body: { status_code: '404', status_message: "The requested resource isn't found" } };
    const st = text(tx.extra['transaction_status']);
    const challenged = tx.extra['fraud_status'] === 'challenge';
    switch (action) {
      case 'status':
        return { status: 200, body: coreStatus(tx) };
      case 'cancel':
        return st === 'pending' || st === 'capture' ? this.#move(tx, 'cancel') : notAllowed();
      case 'expire':
        return st === 'pending' ? this.#move(tx, 'expire') : notAllowed();
      case 'approve':
        return challenged ? this.#move(tx, 'capture', 'accept') : notAllowed();
      case 'deny':
        return challenged ? this.#move(tx, 'deny', 'deny') : notAllowed();
      case 'refund':
      case 'refund/online/direct':
        return st === 'settlement' || st === 'capture' ? this.#refund(tx, body) : notAllowed();
      default:
        return { status: 404, body: { status_code: '404', status_message: 'Unknown action' } };
    }
  }

  #refund(tx: Tx, body: Body): CoreAnswer {
    tx.refunds.push({ refundNo: randomUUID(), partnerRefundNo: text(body['refund_key'], randomUUID()), amount: tx.amount, at: Date.now() });
    return this.#move(tx, 'refund');
  }

  /** Moves the transaction to `next` (and the fraud status, when given), records and notifies it. */
  #move(tx: Tx, next: Move, fraud?: string): CoreAnswer {
    tx.extra['transaction_status'] = next;
    if (fraud) tx.extra['fraud_status'] = fraud;
    tx.status = MOVES[next].status;
    this.#store.record(MOVES[next].event, tx);
    this.#onChange(tx);
    return { status: 200, body: coreStatus(tx) };
  }
}
