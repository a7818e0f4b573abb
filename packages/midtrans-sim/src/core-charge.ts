// A Core API `POST /v2/charge`, step by step: the request's common checks, then those of its payment
// type (a row of core-types/), the transaction it creates, and the answer the row shapes.
import { randomUUID } from 'node:crypto';
import { corePaymentType } from './core-types/lookup.ts';
import type { CardToken, ChargeEnv, CorePaymentType } from './core-types/payment-type.ts';
import { coreStatus, invalid, type Body, type CoreAnswer } from './core-wire.ts';
import type { Tx } from './store.ts';

const ORDER_ID = /^[A-Za-z0-9\-_~.]{1,50}$/;

export interface ChargeRequest {
  readonly type: CorePaymentType;
  readonly orderId: string;
  readonly gross: number;
}

/** The charge's payment type, order and amount, or the answer refusing them. */
export function chargeRequest(body: Body): ChargeRequest | CoreAnswer {
  const details = body['transaction_details'] as Body | undefined;
  const name = body['payment_type'];
  const type = typeof name === 'string' ? corePaymentType(name) : undefined;
  const orderId = details?.['order_id'];
  const gross = details?.['gross_amount'];
  if (!type) return invalid('payment_type is not supported');
  if (typeof orderId !== 'string' || !ORDER_ID.test(orderId)) return invalid('transaction_details.order_id is invalid');
  if (typeof gross !== 'number' || !Number.isInteger(gross) || gross < 1)
    return invalid('transaction_details.gross_amount must be a positive integer');
  const missing = missingFields(body, type.requires);
  if (missing.length > 0) return invalid(...missing.map((path) => `${path} is required`));
  const refused = type.check?.(body);
  return refused === undefined ? { type, orderId, gross } : invalid(refused);
}

function valueAt(body: Body, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.'))
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body)[key] : undefined;
  return value;
}

/** The required fields the request lacks; a field inside a missing object is not reported again. */
function missingFields(body: Body, paths: readonly string[]): string[] {
  const missing: string[] = [];
  for (const path of paths) {
    if (missing.some((m) => path.startsWith(`${m}.`))) continue;
    const value = valueAt(body, path);
    if (value === undefined || value === null || value === '') missing.push(path);
  }
  return missing;
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
  const now = Date.now();
  return {
    referenceNo: randomUUID(),
    kind: 'core',
    method: type.paymentType,
    partnerReferenceNo: orderId,
    externalId: orderId,
    amount: `${String(gross)}.00`,
    status: '03',
    createdAt: now,
    validUntil: now + type.expiryMs,
    refunds: [],
    extra: { transaction_status: 'pending' },
  };
}

/** What the row gets while opening the charge: where the customer completes it, and the card tokens. */
export function chargeEnv(type: CorePaymentType, tx: Tx, baseUrl: string, cardTokens: ReadonlyMap<string, CardToken>): ChargeEnv {
  return { customerUrl: `${baseUrl}/${type.completion === 'three-ds' ? '3ds' : 'pay'}/${tx.referenceNo}`, cardTokens };
}

/** A created charge: the transaction status with the row's message, then the row's own fields. */
export function chargeAnswer(type: CorePaymentType, tx: Tx, env: ChargeEnv): CoreAnswer {
  const message = type.chargeMessage ?? 'Success, transaction is created';
  return { status: 201, body: { ...coreStatus(tx), status_message: message, ...type.answer(tx, env) } };
}
