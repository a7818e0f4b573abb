// BI-SNAP Transaction History List and Detail, signed and authenticated like every BI-SNAP call, and
// the admin route that makes Midtrans' books differ from what the merchant was told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/server.ts';
import { call, receiver, type HttpAnswer } from './helpers.ts';
import { debit, newToken, signedSnap, wib } from './snap-client.ts';

const LIST = '/v1.0/transaction-history-list';
const DETAIL = '/v1.0/transaction-history-detail';

let sim: Simulator;
let rx: Awaited<ReturnType<typeof receiver>>;
let token = '';
const snap = (path: string, body: object): Promise<HttpAnswer> => signedSnap(sim, token, path, body);
const rows = (a: HttpAnswer) => a.body['detailData'] as { additionalInfo: Record<string, unknown>; [k: string]: unknown }[];
const admin = (path: string, body: object) => call(sim, 'POST', `/_sim${path}`, body);
/** An RFC 3339 time `ms` from now, without a fraction. */
const at = (ms: number): string => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  rx = await receiver();
  sim = await startSimulator({ webhooks: { snapBaseUrl: rx.url, timeScale: 60_000 } });
  token = await newToken(sim);
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

async function gopayCharge(ref: string, value = '5000.00'): Promise<string> {
  const body = { ...debit(ref), payOptionDetails: [{ payMethod: 'GOPAY', payOption: 'GOPAY', transAmount: { value, currency: 'IDR' } }] };
  const charged = await snap('/v1.0/debit/payment-host-to-host', body);
  expect(charged.body['responseCode']).toBe('2005400');
  return String(charged.body['referenceNo']);
}

describe('Transaction History List', () => {
  it('lists every BI-SNAP transaction of the period once, oldest first, a page at a time, and not the Core API ones', async () => {
    const tag = `page-${String(Date.now())}`;
    const made: string[] = [];
    for (let i = 0; i < 12; i++) made.push(await gopayCharge(`${tag}-d${String(i)}`));
    const qris = await snap('/v1.0/qr/qr-mpm-generate', { partnerReferenceNo: `${tag}-q`, amount: { value: '7000.00', currency: 'IDR' } });
    made.push(String(qris.body['referenceNo']));
    const auth = `Basic ${Buffer.from(`${sim.credentials.serverKey}:`).toString('base64')}`;
    const card = await call(
      sim,
      'POST',
      '/v2/charge',
      { payment_type: 'gopay', transaction_details: { order_id: `${tag}-c`, gross_amount: 9000 } },
      { authorization: auth },
    );
    expect(card.body['status_code']).toBe('201');

    const pages: HttpAnswer[] = [];
    for (let n = 0; n < 3; n++) pages.push(await snap(LIST, { fromDateTime: at(-3_600_000), pageSize: 5, pageNumber: n }));
    expect(pages.map((p) => p.body['responseCode'])).toEqual(['2001200', '2001200', '2001200']);
    expect(pages.map((p) => rows(p).length)).toEqual([5, 5, 3]);
    const listed = pages.flatMap((p) => rows(p).map((r) => r.additionalInfo['referenceNo']));
    expect(listed).toEqual(made);
    const first = rows(pages[0] as HttpAnswer)[0];
    expect(first).toMatchObject({ amount: { value: '5000.00', currency: 'IDR' }, status: 'PENDING', type: 'PAYMENT' });
    expect(first?.additionalInfo).toMatchObject({
      partnerReferenceNo: `${tag}-d0`,
      latestTransactionStatus: '03',
      paymentType: 'gopay',
      serviceCode: '54',
    });
    expect(String(first?.['dateTime'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
  });

  it('selects by period to the second, by reference, and reports the current status', async () => {
    const ref = `period-${String(Date.now())}`;
    const referenceNo = await gopayCharge(ref);
    await admin('/pay', { referenceNo });
    const byRef = await snap(LIST, { partnerReferenceNo: ref });
    expect(rows(byRef).map((r) => [r['status'], r.additionalInfo['latestTransactionStatus']])).toEqual([['SUCCESS', '00']]);
    expect(rows(byRef)[0]?.additionalInfo['paidTime']).toBeDefined();
    const before = await snap(LIST, { partnerReferenceNo: ref, fromDateTime: at(-7_200_000), toDateTime: at(-3_600_000) });
    expect(rows(before)).toEqual([]);
    expect(rows(await snap(LIST, { referenceNo, additionalInfo: { types: ['TOP_UP'] } }))).toEqual([]);
  });

  it('refuses what Midtrans refuses: a page over 50, a period older than six months or reversed, an unsigned call', async () => {
    expect((await snap(LIST, { pageSize: 51 })).body['responseCode']).toBe('4001201');
    expect((await snap(LIST, { fromDateTime: '2020-01-01T00:00:00+07:00' })).body['responseCode']).toBe('4001201');
    expect((await snap(LIST, { fromDateTime: wib(), toDateTime: '2024-01-01T00:00:00+07:00' })).body['responseCode']).toBe('4001201');
    const unsigned = await call(
      sim,
      'POST',
      LIST,
      {},
      {
        authorization: `Bearer ${token}`,
        'x-timestamp': wib(),
        'x-partner-id': sim.credentials.partnerId,
        'x-external-id': 'u-1',
        'channel-id': '95221',
        'x-signature': 'AAAA',
      },
    );
    expect([unsigned.status, unsigned.body['responseCode']]).toEqual([401, '4011200']);
  });
});

describe('Transaction History Detail', () => {
  it('answers one transaction by both its references, 404xx01 otherwise, and 400xx02 without the Midtrans reference', async () => {
    const ref = `detail-${String(Date.now())}`;
    const referenceNo = await gopayCharge(ref, '12500.00');
    const found = await snap(DETAIL, { originalPartnerReferenceNo: ref, additionalInfo: { referenceNo } });
    expect(found.body).toMatchObject({
      responseCode: '2001300',
      referenceNo,
      partnerReferenceNo: ref,
      amount: { value: '12500.00', currency: 'IDR' },
      status: 'PENDING',
    });
    expect((await snap(DETAIL, { originalPartnerReferenceNo: 'other', additionalInfo: { referenceNo } })).body['responseCode']).toBe(
      '4041301',
    );
    expect((await snap(DETAIL, { originalPartnerReferenceNo: ref })).body['responseCode']).toBe('4001302');
  });
});

describe('POST /_sim/discrepancy', () => {
  it('tampers an amount in the transaction and its ledger entries, and a currency', async () => {
    const ref = `tamper-${String(Date.now())}`;
    const referenceNo = await gopayCharge(ref, '20000.00');
    await admin('/pay', { referenceNo });
    const tampered = await admin('/discrepancy', { kind: 'amount', referenceNo, value: '21000.00', currency: 'USD' });
    expect(tampered.body).toMatchObject({ referenceNo, amount: '21000.00', status: '00' });
    expect(sim.store.ledger.filter((e) => e.referenceNo === referenceNo).map((e) => [e.event, e.amount])).toEqual([
      ['charge', '21000.00'],
      ['paid', '21000.00'],
    ]);
    const detail = await snap(DETAIL, { originalPartnerReferenceNo: ref, additionalInfo: { referenceNo } });
    expect(detail.body['amount']).toEqual({ value: '21000.00', currency: 'USD' });
  });

  it('expires a pending order without a notification, and refuses one that is not pending', async () => {
    const ref = `quiet-${String(Date.now())}`;
    const referenceNo = await gopayCharge(ref);
    const sent = rx.received.length;
    expect((await admin('/discrepancy', { kind: 'expire', partnerReferenceNo: ref })).body).toMatchObject({ status: '08' });
    expect((await admin('/discrepancy', { kind: 'expire', referenceNo })).status).toBe(409);
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.received.slice(sent).filter((r) => r.raw.includes(ref))).toEqual([]);
    expect(sim.store.ledger.filter((e) => e.referenceNo === referenceNo).map((e) => e.event)).toEqual(['charge', 'expired']);
    expect(rows(await snap(LIST, { referenceNo }))[0]?.['status']).toBe('EXPIRED');
  });

  it('records a settled payment the merchant never made, listed like any other', async () => {
    const made = await admin('/discrepancy', { kind: 'payment', method: 'va-bca', amount: '30000.00' });
    expect(made.status).toBe(200);
    const referenceNo = String(made.body['referenceNo']);
    const listed = rows(await snap(LIST, { referenceNo }));
    expect(listed.map((r) => [r['status'], r.additionalInfo['paymentType'], r.additionalInfo['serviceCode']])).toEqual([
      ['SUCCESS', 'va-bca', '27'],
    ]);
    expect(sim.store.ledger.filter((e) => e.referenceNo === referenceNo).map((e) => e.event)).toEqual(['charge', 'paid']);
    expect((await admin('/discrepancy', { kind: 'payment', method: 'credit_card', amount: '1.00' })).status).toBe(400);
    expect((await admin('/discrepancy', { kind: 'nothing' })).status).toBe(400);
  });
});
