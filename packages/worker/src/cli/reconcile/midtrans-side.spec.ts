// Midtrans' side read into records: history rows by their two-digit status or their word, the Core
// API status of a card order, and the look-ups of unlisted orders by the right API.
import { describe, expect, it } from 'vitest';
import {
  TransactionHistory,
  type CoreApiCall,
  type JsonObject,
  type MidtransApi,
  type MidtransOutcome,
  type SnapCall,
} from '@paystream/core';
import type { PaystreamOrder } from './differences.ts';
import { coreRecord, lookUp, recordOf } from './midtrans-side.ts';

const base = { referenceNo: 'A1', partnerReferenceNo: 'o-1', atMs: 1, amount: { value: '5.00', currency: 'IDR' }, type: 'PAYMENT' };
const ok = (body: JsonObject): MidtransOutcome => ({ ok: true, httpStatus: 200, body });
const notFound: MidtransOutcome = { ok: false, kind: 'not-found', httpStatus: 404, message: 'not found', body: {} };

function api(snap: (c: SnapCall) => MidtransOutcome, core: (c: CoreApiCall) => MidtransOutcome): MidtransApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    snap: (c) => (calls.push(c.path), Promise.resolve(snap(c))),
    coreApi: (c) => (calls.push(c.path), Promise.resolve(core(c))),
  };
}

const coreBody = (transaction_status: string, fraud_status = 'accept'): JsonObject => ({
  status_code: '200',
  transaction_id: 'tx-9',
  order_id: 'card-1',
  gross_amount: '42000.00',
  currency: 'IDR',
  payment_type: 'credit_card',
  transaction_time: '2026-03-01 10:00:00',
  transaction_status,
  fraud_status,
});

describe('recordOf', () => {
  it('reads the two-digit status first, else the word, and anything unknown as pending', () => {
    expect(recordOf({ ...base, status: 'WHATEVER', statusCode: '08' }, 'list').status).toBe('expired');
    expect(recordOf({ ...base, status: 'SUCCESS' }, 'list').status).toBe('succeeded');
    expect(recordOf({ ...base, status: 'Cancelled' }, 'detail')).toMatchObject({ status: 'canceled', source: 'detail' });
    expect(recordOf({ ...base, status: 'ON_HOLD' }, 'list').status).toBe('pending');
  });
});

describe('coreRecord', () => {
  it('reads a Core API status as the card plugin does, its time as Western Indonesian Time', async () => {
    const paid = await coreRecord(
      api(
        () => notFound,
        () => ok(coreBody('capture')),
      ),
      'card-1',
      undefined,
    );
    expect(paid).toEqual({
      referenceNo: 'tx-9',
      partnerReferenceNo: 'card-1',
      atMs: Date.parse('2026-03-01T03:00:00Z'),
      status: 'succeeded',
      amount: { value: '42000.00', currency: 'IDR' },
      paymentType: 'credit_card',
      source: 'core-status',
    });
    const held = await coreRecord(
      api(
        () => notFound,
        () => ok(coreBody('capture', 'challenge')),
      ),
      'card-1',
      undefined,
    );
    expect(held?.status).toBe('pending_review');
    expect(
      await coreRecord(
        api(
          () => notFound,
          () => notFound,
        ),
        'card-2',
        'shop',
      ),
    ).toBeUndefined();
  });
});

describe('lookUp', () => {
  const order = (orderId: string, method: string, transactionIds: string[] = []): PaystreamOrder => ({
    orderId,
    method,
    firstAtMs: 1,
    lastAtMs: 2,
    status: 'succeeded',
    succeeded: true,
    amount: { value: '5.00', currency: 'IDR' },
    transactionIds,
    partnerIds: [],
  });

  it('asks History Detail for a BI-SNAP order with its Midtrans id, the Core API for a Core API order, and skips an order without one', async () => {
    const midtrans = api(
      (c) =>
        ok({
          referenceNo: (c.body['additionalInfo'] as JsonObject)['referenceNo'] as string,
          partnerReferenceNo: c.body['originalPartnerReferenceNo'] as string,
          dateTime: '2026-03-01T10:00:00+07:00',
          amount: { value: '5.00', currency: 'IDR' },
          status: 'SUCCESS',
          type: 'PAYMENT',
        }),
      () => ok(coreBody('settlement')),
    );
    const found = await lookUp({ api: midtrans, history: new TransactionHistory(midtrans), isCore: (m) => m === 'card-3ds' }, [
      order('g-1', 'gopay', ['A1-1']),
      order('c-1', 'card-3ds'),
      order('v-1', 'va'),
    ]);
    expect(found.map((r) => [r.referenceNo, r.partnerReferenceNo, r.source]).sort()).toEqual([
      ['A1-1', 'g-1', 'detail'],
      ['tx-9', 'card-1', 'core-status'],
    ]);
    expect(midtrans.calls.sort()).toEqual(['/v1.0/transaction-history-detail', '/v2/c-1/status']);
  });
});
