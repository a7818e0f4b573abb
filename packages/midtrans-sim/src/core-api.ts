// Core API v2 (Basic auth with the server key): charges per payment type, the transaction actions,
// and card tokens; a card charge redirects to the 3DS page (three-ds.ts).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Store, Tx } from './store.ts';

type Body = Record<string, unknown>;
export interface CoreAnswer {
  readonly status: number;
  readonly body: Body;
}

/** A string field, or the fallback when absent or not a string. */
export const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

const TYPES = new Set(['gopay', 'shopeepay', 'qris', 'bank_transfer', 'echannel', 'credit_card']);

export function checkBasicAuth(header: string | undefined, serverKey: string): boolean {
  const expected = Buffer.from(`Basic ${Buffer.from(`${serverKey}:`).toString('base64')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signatureKey(orderId: string, statusCode: string, grossAmount: string, serverKey: string): string {
  return createHash('sha512').update(`${orderId}${statusCode}${grossAmount}${serverKey}`).digest('hex');
}

export function coreStatus(tx: Tx): Body {
  const st = text(tx.extra['transaction_status'], 'pending');
  const statusCode =
    st === 'settlement' || st === 'capture' ? '200' : st === 'pending' ? '201' : st === 'deny' ? '202' : st === 'expire' ? '407' : '200';
  return {
    status_code: statusCode,
    status_message: 'Success, transaction is found',
    transaction_id: tx.referenceNo,
    order_id: tx.partnerReferenceNo,
    gross_amount: tx.amount,
    currency: 'IDR',
    payment_type: tx.method,
    transaction_time: new Date(tx.createdAt).toISOString().replace('T', ' ').slice(0, 19),
    transaction_status: st,
    fraud_status: tx.extra['fraud_status'] ?? 'accept',
    ...(tx.extra['masked_card'] ? { masked_card: tx.extra['masked_card'] } : {}),
  };
}

export class CoreApi {
  readonly #store: Store;
  readonly #baseUrl: () => string;
  readonly #onChange: (tx: Tx) => void;
  readonly #tokens = new Map<string, { card: string; expiresAt: number }>();
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
    const details = body['transaction_details'] as Body | undefined;
    const type = body['payment_type'];
    const orderId = details?.['order_id'];
    const gross = details?.['gross_amount'];
    if (typeof type !== 'string' || !TYPES.has(type)) return invalid('payment_type is not supported');
    if (typeof orderId !== 'string' || !/^[A-Za-z0-9\-_~.]{1,50}$/.test(orderId)) return invalid('transaction_details.order_id is invalid');
    if (typeof gross !== 'number' || !Number.isInteger(gross) || gross < 1)
      return invalid('transaction_details.gross_amount must be a positive integer');
    if (this.#store.find('core', { partnerReferenceNo: orderId }))
      return {
        status: 406,
        body: {
          status_code: '406',
          status_message:
            'The request could not be completed due to a conflict with the current state of the target resource, please try again',
        },
      };
    const tx: Tx = {
      referenceNo: randomUUID(),
      kind: 'core',
      method: type,
      partnerReferenceNo: orderId,
      externalId: orderId,
      amount: `${String(gross)}.00`,
      status: '03',
      createdAt: Date.now(),
      validUntil: Date.now() + 24 * 3_600_000,
      refunds: [],
      extra: { transaction_status: 'pending' },
    };
    if (type === 'credit_card') {
      const cc = body['credit_card'] as Body | undefined;
      const token = typeof cc?.['token_id'] === 'string' ? this.#tokens.get(cc['token_id']) : undefined;
      if (!token || token.expiresAt < Date.now())
        return { status: 411, body: { status_code: '411', status_message: 'Token id is missing, invalid, or timed out' } };
      if (cc?.['authentication'] !== true)
        return { status: 400, body: { status_code: '400', status_message: 'credit_card.authentication must be true: 3DS is required' } };
      Object.assign(tx.extra, { card: token.card, masked_card: `${token.card.slice(0, 6)}-${token.card.slice(-4)}` });
    }
    this.#store.add(tx);
    const status = { ...coreStatus(tx), status_message: 'Success, transaction is created' };
    const action = `${this.#baseUrl()}/${type === 'credit_card' ? '3ds' : 'pay'}/${tx.referenceNo}`;
    if (type === 'credit_card') return { status: 201, body: { ...status, redirect_url: action } };
    if (type === 'bank_transfer')
      return {
        status: 201,
        body: {
          ...status,
          va_numbers: [
            { bank: text((body['bank_transfer'] as Body | undefined)?.['bank'], 'bca'), va_number: `8808${String(Date.now()).slice(-8)}` },
          ],
        },
      };
    return { status: 201, body: { ...status, actions: [{ name: 'deeplink-redirect', method: 'GET', url: action }] } };
  }

  /** `/v2/{id}/status|cancel|expire|refund|approve|deny`, `/v2/{id}/refund/online/direct`. */
  action(id: string, action: string, body: Body): CoreAnswer {
    const tx = this.#store.find('core', { partnerReferenceNo: id, referenceNo: id });
    if (!tx) return { status: 404, body: { status_code: '404', status_message: "The requested resource isn't found" } };
    const st = text(tx.extra['transaction_status']);
    const set = (next: string, fraud?: string): CoreAnswer => {
      tx.extra['transaction_status'] = next;
      if (fraud) tx.extra['fraud_status'] = fraud;
      tx.status =
        next === 'settlement' || next === 'capture'
          ? '00'
          : next === 'cancel'
            ? '05'
            : next === 'expire'
              ? '08'
              : next === 'deny'
                ? '09'
                : next === 'refund'
                  ? '04'
                  : tx.status;
      this.#store.record(
        next === 'refund' ? 'refund' : next === 'cancel' ? 'canceled' : next === 'expire' ? 'expired' : next === 'deny' ? 'failed' : 'paid',
        tx,
      );
      this.#onChange(tx);
      return { status: 200, body: coreStatus(tx) };
    };
    switch (action) {
      case 'status':
        return { status: 200, body: coreStatus(tx) };
      case 'cancel':
        return st === 'pending' || st === 'capture' ? set('cancel') : notAllowed();
      case 'expire':
        return st === 'pending' ? set('expire') : notAllowed();
      case 'approve':
        return tx.extra['fraud_status'] === 'challenge' ? set('capture', 'accept') : notAllowed();
      case 'deny':
        return tx.extra['fraud_status'] === 'challenge' ? set('deny', 'deny') : notAllowed();
      case 'refund':
      case 'refund/online/direct':
        return st === 'settlement' || st === 'capture'
          ? (void tx.refunds.push({
              refundNo: randomUUID(),
              partnerRefundNo: text(body['refund_key'], randomUUID()),
              amount: tx.amount,
              at: Date.now(),
            }),
            set('refund'))
          : notAllowed();
      default:
        return { status: 404, body: { status_code: '404', status_message: 'Unknown action' } };
    }
  }
}

function invalid(message: string): CoreAnswer {
  return {
    status: 400,
    body: { status_code: '400', status_message: 'One or more parameters in the payload is invalid.', validation_messages: [message] },
  };
}

function notAllowed(): CoreAnswer {
  return { status: 412, body: { status_code: '412', status_message: 'Merchant cannot modify the status of the transaction' } };
}
