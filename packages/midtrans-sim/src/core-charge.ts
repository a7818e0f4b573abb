// A Core API `POST /v2/charge`, step by step: the request's checks, the transaction it creates, the
// card token a card charge must carry, and the answer per payment type.
import { randomUUID } from 'node:crypto';
import { coreStatus, invalid, text, type Body, type CoreAnswer } from './core-wire.ts';
import type { Tx } from './store.ts';

const TYPES = new Set(['gopay', 'shopeepay', 'qris', 'bank_transfer', 'echannel', 'credit_card']);
const ORDER_ID = /^[A-Za-z0-9\-_~.]{1,50}$/;

export interface ChargeRequest {
  readonly type: string;
  readonly orderId: string;
  readonly gross: number;
}

export interface CardToken {
  readonly card: string;
  readonly expiresAt: number;
}

/** The charge's payment type, order and amount, or the answer refusing them. */
export function chargeRequest(body: Body): ChargeRequest | CoreAnswer {
  const details = body['transaction_details'] as Body | undefined;
  const type = body['payment_type'];
  const orderId = details?.['order_id'];
  const gross = details?.['gross_amount'];
  if (typeof type !== 'string' || !TYPES.has(type)) return invalid('payment_type is not supported');
  if (typeof orderId !== 'string' || !ORDER_ID.test(orderId)) return invalid('transaction_details.order_id is invalid');
  if (typeof gross !== 'number' || !Number.isInteger(gross) || gross < 1)
    return invalid('transaction_details.gross_amount must be a positive integer');
  return { type, orderId, gross };
}

export function duplicateOrder(): CoreAnswer {
  return {
    status: 406,
    body: {
      status_code: '406',
      status_message:
        'The request could not be completed due to a conflict with the current state of the target resource, please try again',
    },
  };
}

export function newCoreTx({ type, orderId, gross }: ChargeRequest): Tx {
  return {
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
}

/** Puts the tokenised card on a card charge; the refusal when the token is unusable or 3DS was not asked for. */
export function attachCard(tx: Tx, cc: Body | undefined, tokens: ReadonlyMap<string, CardToken>): CoreAnswer | undefined {
  const token = typeof cc?.['token_id'] === 'string' ? tokens.get(cc['token_id']) : undefined;
  if (!token || token.expiresAt < Date.now())
    return { status: 411, body: { status_code: '411', status_message: 'Token id is missing, invalid, or timed out' } };
  if (cc?.['authentication'] !== true)
    return { status: 400, body: { status_code: '400', status_message: 'credit_card.authentication must be true: 3DS is required' } };
  Object.assign(tx.extra, { card: token.card, masked_card: `${token.card.slice(0, 6)}-${token.card.slice(-4)}` });
  return undefined;
}

/** A created charge: a card one redirects to 3DS, a bank transfer names its VA, the others link to the pay page. */
export function chargeAnswer(tx: Tx, body: Body, baseUrl: string): CoreAnswer {
  const status = { ...coreStatus(tx), status_message: 'Success, transaction is created' };
  const action = `${baseUrl}/${tx.method === 'credit_card' ? '3ds' : 'pay'}/${tx.referenceNo}`;
  if (tx.method === 'credit_card') return { status: 201, body: { ...status, redirect_url: action } };
  if (tx.method === 'bank_transfer')
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
