// The Transaction History reader: every page read in order, each row checked before it is trusted,
// refusals and unreadable answers thrown with their codes, and Detail's not-found as no transaction.
import { describe, expect, it } from 'vitest';
import { PaystreamError } from '../errors.ts';
import type { JsonObject, MidtransApi, MidtransOutcome, SnapCall } from './facade.ts';
import { HISTORY_DETAIL_PATH, HISTORY_LIST_PATH, TransactionHistory } from './transaction-history.ts';

const ok = (body: JsonObject): MidtransOutcome => ({ ok: true, httpStatus: 200, body });

function scripted(answer: (call: SnapCall) => MidtransOutcome): MidtransApi & { calls: SnapCall[] } {
  const calls: SnapCall[] = [];
  return {
    calls,
    snap: (call) => {
      calls.push(call);
      return Promise.resolve(answer(call));
    },
    coreApi: () => Promise.reject(new Error('not used')),
  };
}

const row = (n: number, extra: JsonObject = {}): JsonObject => ({
  dateTime: '2026-03-01T10:00:00+07:00',
  amount: { value: `${String(1000 + n)}.00`, currency: 'IDR' },
  status: 'SUCCESS',
  type: 'PAYMENT',
  additionalInfo: {
    referenceNo: `A1-${String(n)}`,
    partnerReferenceNo: `order-${String(n)}`,
    latestTransactionStatus: '00',
    paymentType: 'gopay',
  },
  ...extra,
});

const period = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') };

/** A server holding `total` rows, answering pages as Midtrans does. */
const pagedServer = (total: number) =>
  scripted((call) => {
    const { pageSize, pageNumber } = call.body as { pageSize: number; pageNumber: number };
    const rows = Array.from({ length: total }, (_, i) => row(i)).slice(pageNumber * pageSize, (pageNumber + 1) * pageSize);
    return ok({ responseCode: '2001200', responseMessage: 'Successful', detailData: rows });
  });

async function thrown(p: Promise<unknown>): Promise<PaystreamError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!PaystreamError.is(err)) throw new Error(`expected a PaystreamError, got ${String(err)}`);
  return err;
}

describe('TransactionHistory', () => {
  it('reads every page in order until a short one, each request its own X-EXTERNAL-ID, the period in WIB', async () => {
    const api = pagedServer(5);
    const all = await new TransactionHistory(api, { pageSize: 2, merchant: 'shop' }).all(period);
    expect(all.map((t) => t.referenceNo)).toEqual(['A1-0', 'A1-1', 'A1-2', 'A1-3', 'A1-4']);
    expect(api.calls.map((c) => [c.path, (c.body as { pageNumber: number }).pageNumber, c.merchant])).toEqual([
      [HISTORY_LIST_PATH, 0, 'shop'],
      [HISTORY_LIST_PATH, 1, 'shop'],
      [HISTORY_LIST_PATH, 2, 'shop'],
    ]);
    expect(new Set(api.calls.map((c) => c.externalId)).size).toBe(3);
    expect(api.calls[0]?.body).toMatchObject({ fromDateTime: '2026-03-01T07:00:00+07:00', toDateTime: '2026-03-02T07:00:00+07:00' });
    expect(all[0]).toEqual({
      referenceNo: 'A1-0',
      partnerReferenceNo: 'order-0',
      atMs: Date.parse('2026-03-01T03:00:00Z'),
      amount: { value: '1000.00', currency: 'IDR' },
      status: 'SUCCESS',
      statusCode: '00',
      type: 'PAYMENT',
      paymentType: 'gopay',
    });
  });

  it('asks once more when the last page is full, and stops at the empty one', async () => {
    const api = pagedServer(4);
    expect(await new TransactionHistory(api, { pageSize: 2 }).all(period)).toHaveLength(4);
    expect(api.calls).toHaveLength(3);
  });

  it('stops as unreadable on a row it cannot read, a page that repeats the previous one, or pages without end', async () => {
    const bad = scripted(() => ok({ detailData: [row(0), row(1, { amount: { value: '10', currency: 'IDR' } })] }));
    const err = await thrown(new TransactionHistory(bad).all(period));
    expect([err.code, err.message]).toEqual([
      'PS_ERR_RECONCILE_HISTORY_INVALID',
      expect.stringContaining('detailData.1.amount.value') as string,
    ]);
    const nameless = scripted(() => ok({ detailData: [row(0, { additionalInfo: {} })] }));
    expect((await thrown(new TransactionHistory(nameless).all(period))).message).toContain('carries no referenceNo');
    const stuck = scripted(() => ok({ detailData: [row(0), row(1)] }));
    expect((await thrown(new TransactionHistory(stuck, { pageSize: 2 }).all(period))).message).toContain('page 1 repeats page 0');
    const endless = pagedServer(100);
    expect((await thrown(new TransactionHistory(endless, { pageSize: 2, maxPages: 3 }).all(period))).message).toContain(
      'more than 3 pages',
    );
  });

  it('throws a refusal with its response code', async () => {
    const api = scripted(() => ({
      ok: false,
      kind: 'business',
      httpStatus: 403,
      responseCode: { raw: '4031201', http: 403, service: '12', case: '01' },
      message: 'Feature Not Allowed',
      body: {},
    }));
    const err = await thrown(new TransactionHistory(api).all(period));
    expect([err.code, err.message]).toEqual([
      'PS_ERR_RECONCILE_HISTORY_REFUSED',
      'Midtrans refused the transaction history request /v1.0/transaction-history-list (4031201: Feature Not Allowed)',
    ]);
  });

  it('reads one transaction by Detail, its references at the top, and none when Midtrans has none', async () => {
    const api = scripted((call) =>
      (call.body as { originalPartnerReferenceNo: string }).originalPartnerReferenceNo === 'order-7'
        ? ok({
            responseCode: '2001300',
            referenceNo: 'A1-7',
            partnerReferenceNo: 'order-7',
            ...row(7, { additionalInfo: { latestTransactionStatus: '08' } }),
          })
        : { ok: false, kind: 'not-found', httpStatus: 404, message: 'Transaction Not Found', body: {} },
    );
    const history = new TransactionHistory(api);
    expect(await history.detail({ partnerReferenceNo: 'order-7', referenceNo: 'A1-7' })).toMatchObject({
      referenceNo: 'A1-7',
      partnerReferenceNo: 'order-7',
      statusCode: '08',
    });
    expect(api.calls[0]).toMatchObject({
      path: HISTORY_DETAIL_PATH,
      body: { originalPartnerReferenceNo: 'order-7', additionalInfo: { referenceNo: 'A1-7' } },
    });
    expect(await history.detail({ partnerReferenceNo: 'order-8', referenceNo: 'A1-8' })).toBeUndefined();
  });
});
