import type { JsonObject } from '@paystream/core';
import { describe, expect, it } from 'vitest';
import { accepted, contextFor, IDS, refused, scripted } from '../../test/operation-context.ts';
import { DIRECT_DEBIT_ENDPOINTS, DirectDebitDetails, directDebitOperations, directDebitOrderId } from './direct-debit.ts';

const gopay = directDebitOperations('GOPAY');
const details = (input: Record<string, unknown> = {}): DirectDebitDetails => DirectDebitDetails.parse(input);
const charged = accepted({ referenceNo: 'A120261124', partnerReferenceNo: 'order-1', webRedirectUrl: 'https://wallet.example/pay/A1' });

describe('direct-debit charge', () => {
  it('sends payment-host-to-host with identifiers and expiry derived from the command, and asks for the deeplink', async () => {
    const midtrans = scripted(charged);
    const ctx = contextFor(details({ returnUrl: 'https://shop.example/back', validForMinutes: 30 }), midtrans, { merchant: 'm-two' });
    const update = await gopay.charge?.(ctx);
    expect(JSON.stringify(midtrans.calls)).toBe(
      JSON.stringify([
        {
          path: '/v1.0/debit/payment-host-to-host',
          externalId: IDS.externalId,
          body: {
            partnerReferenceNo: 'order-1',
            chargeToken: '',
            validUpTo: '2026-11-24T03:30:00.000Z',
            payOptionDetails: [{ payMethod: 'GOPAY', payOption: 'GOPAY', transAmount: { value: '150000.00', currency: 'IDR' } }],
            urlParams: [{ url: 'https://shop.example/back', type: 'PAY_RETURN', isDeeplink: 'N' }],
            additionalInfo: {},
          },
          merchant: 'm-two',
        },
      ]),
    );
    expect(update).toEqual({
      status: 'action_required',
      references: { externalId: IDS.externalId, partnerReferenceNo: 'order-1', referenceNo: 'A120261124' },
      responseCode: '2005400',
      action: { kind: 'deeplink', url: 'https://wallet.example/pay/A1', expiresAt: '2026-11-24T03:30:00.000Z' },
    });
  });

  it('re-sends identical bytes for a redelivered command, and leaves out what the command does not give', async () => {
    const first = scripted(accepted({}));
    const again = scripted(accepted({}));
    const a = await gopay.charge?.(contextFor(details(), first));
    await gopay.charge?.(contextFor(details(), again));
    expect(JSON.stringify(again.calls)).toBe(JSON.stringify(first.calls));
    expect(first.calls[0]?.body).not.toHaveProperty('urlParams');
    expect(first.calls[0]).not.toHaveProperty('merchant');
    expect(a?.action).toEqual({ kind: 'deeplink', expiresAt: '2026-11-24T03:15:00.000Z' });
  });

  it.each([
    ['conflict', 'pending'],
    ['business', 'failed'],
    ['invalid', 'failed'],
    ['not-found', 'failed'],
  ] as const)('reports a %s refusal as %s with its code and message', async (kind, status) => {
    const update = await gopay.charge?.(contextFor(details(), scripted(refused(kind, 'Refused by the wallet', '4035405'))));
    expect(update).toEqual({
      status,
      references: { externalId: IDS.externalId, partnerReferenceNo: 'order-1' },
      responseCode: '4035405',
      reason: 'Refused by the wallet',
    });
  });
});

describe('direct-debit status', () => {
  const inquiry = (body: JsonObject) => accepted({ originalReferenceNo: 'A120261124', ...body }, '2005500');

  it('asks by the charge reference with service code 54 and a fresh X-EXTERNAL-ID, reporting amount and currency', async () => {
    const midtrans = scripted(inquiry({ latestTransactionStatus: '00', transAmount: { value: '150000.00', currency: 'IDR' } }));
    const update = await gopay.status(
      contextFor(details(), midtrans, { type: 'payment.status', references: { referenceNo: 'A120261124' } }),
    );
    expect(midtrans.calls).toEqual([
      { path: '/v1.0/debit/status', externalId: IDS.inquiryId, body: { originalReferenceNo: 'A120261124', serviceCode: '54' } },
    ]);
    expect(update).toEqual({
      status: 'succeeded',
      references: { referenceNo: 'A120261124' },
      responseCode: '2005500',
      amount: 150_000,
      currency: 'IDR',
    });
  });

  it('falls back to the charge X-EXTERNAL-ID before Midtrans named a reference, and maps unknown codes to pending', async () => {
    const midtrans = scripted(inquiry({ latestTransactionStatus: '42', transAmount: { value: 150_000 } }));
    const update = await gopay.status(contextFor(details(), midtrans, { type: 'payment.status' }));
    expect(midtrans.calls[0]?.body).toEqual({ originalExternalId: IDS.externalId, serviceCode: '54' });
    expect(update).toEqual({ status: 'pending', references: { referenceNo: 'A120261124' }, responseCode: '2005500' });
  });

  it('stays pending when Midtrans refuses the inquiry', async () => {
    const update = await gopay.status(
      contextFor(details(), scripted(refused('not-found', 'Transaction Not Found')), { references: { externalId: 'e-1' } }),
    );
    expect(update).toEqual({
      status: 'pending',
      references: { externalId: 'e-1' },
      responseCode: '4045401',
      reason: 'Transaction Not Found',
    });
  });
});

describe('direct-debit cancel and refund', () => {
  const references = { externalId: IDS.externalId, referenceNo: 'A120261124' };

  it('cancels the charge by its reference and order id', async () => {
    const midtrans = scripted(accepted({}, '2005700'));
    const update = await gopay.cancel?.(contextFor(details(), midtrans, { type: 'payment.cancel', references }));
    expect(midtrans.calls).toEqual([
      {
        path: '/v1.0/debit/cancel',
        externalId: IDS.externalId,
        body: { originalReferenceNo: 'A120261124', originalPartnerReferenceNo: 'order-1' },
      },
    ]);
    expect(update).toEqual({ status: 'canceled', references, responseCode: '2005700' });
  });

  it('refunds the whole amount under the command-derived partnerRefundNo and records the refundNo', async () => {
    const midtrans = scripted(accepted({ refundNo: 'RF-1' }, '2005800'));
    const update = await gopay.refund?.(contextFor(details(), midtrans, { type: 'payment.refund', references }));
    expect(JSON.stringify(midtrans.calls[0]?.body)).toBe(
      JSON.stringify({
        originalReferenceNo: 'A120261124',
        originalPartnerReferenceNo: 'order-1',
        partnerRefundNo: 'refund-1',
        refundAmount: { value: '150000.00', currency: 'IDR' },
        reason: 'merchant refund',
      }),
    );
    expect(update).toEqual({ status: 'refunded', references: { ...references, refundNo: 'RF-1' }, responseCode: '2005800' });
  });

  it.each(['cancel', 'refund'] as const)('lets the status inquiry say what is true when a %s is refused', async (op) => {
    const midtrans = scripted(refused('business', 'Already paid', '4035700'), accepted({ latestTransactionStatus: '00' }, '2005500'));
    const update = await gopay[op]?.(contextFor(details(), midtrans, { type: `payment.${op}`, references }));
    expect(midtrans.calls.map((c) => c.path)).toEqual([`/v1.0/debit/${op}`, '/v1.0/debit/status']);
    expect(update).toEqual({ status: 'succeeded', references, responseCode: '2005500' });
  });
});

describe('direct-debit declarations', () => {
  it('supports exactly the operations whose paths are declared, in the contracts order, on those paths', async () => {
    const ovo = directDebitOperations('OVO', { status: '/v1.0/ovo/status', refund: '/v1.0/ovo/refund', statusServiceCode: '55' });
    expect(Object.keys(ovo)).toEqual(['status', 'refund']);
    expect(Object.keys(directDebitOperations('DANA', DIRECT_DEBIT_ENDPOINTS))).toEqual(['charge', 'status', 'cancel', 'refund']);
    const midtrans = scripted(accepted({ latestTransactionStatus: '01' }));
    await ovo.status(contextFor({ validForMinutes: 15 }, midtrans, { references: { referenceNo: 'R' } }));
    expect(midtrans.calls[0]).toMatchObject({ path: '/v1.0/ovo/status', body: { originalReferenceNo: 'R', serviceCode: '55' } });
  });

  it('refuses details that are not https return URLs or sensible windows, and card data', () => {
    for (const hostile of [
      { returnUrl: 'http://shop.example/back' },
      { returnUrl: 'javascript:alert(1)' },
      { validForMinutes: 0 },
      { validForMinutes: 1441 },
      { validForMinutes: 1.5 },
      { cardNumber: '4811111111111114' },
    ])
      expect(DirectDebitDetails.safeParse(hostile).success, JSON.stringify(hostile)).toBe(false);
  });

  it('finds the order of a notification by originalPartnerReferenceNo, and nothing in anything else', () => {
    expect(directDebitOrderId({ originalPartnerReferenceNo: 'order-1', originalReferenceNo: 'A1' })).toBe('order-1');
    for (const body of [null, 'order-1', 42, [], {}, { originalPartnerReferenceNo: '' }, { originalPartnerReferenceNo: 7 }])
      expect(directDebitOrderId(body)).toBeUndefined();
  });
});
