// The Core API v2 wire format: answers (status and body), the transaction status body, the
// notification signature and the Basic auth check with the server key.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Tx } from './store.ts';

export type Body = Record<string, unknown>;
export interface CoreAnswer {
  readonly status: number;
  readonly body: Body;
}

/** A string field, or the fallback when absent or not a string. */
export const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

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
    // What a payment type repeats in every status and notification (cstore's payment_code and store).
    ...(tx.extra['statusFields'] as Body | undefined),
  };
}

export function invalid(...messages: string[]): CoreAnswer {
  return {
    status: 400,
    body: { status_code: '400', status_message: 'One or more parameters in the payload is invalid.', validation_messages: messages },
  };
}

export function notAllowed(): CoreAnswer {
  return { status: 412, body: { status_code: '412', status_message: 'Merchant cannot modify the status of the transaction' } };
}
