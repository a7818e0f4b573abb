import { describe, expect, it } from 'vitest';
import { accepted, contextFor, IDS, refused, scripted } from '../test/operation-context.ts';
import { snapAmount } from './mapping.ts';
import { snapOperations, type SnapCharge } from './snap-operations.ts';

interface Details {
  readonly validForMinutes: number;
}

/** A QR-like method: partnerReferenceNo is the X-EXTERNAL-ID, and the action is read asynchronously. */
const qrCharge: SnapCharge<Details> = {
  path: '/v1.0/qr/generate',
  body: (ctx, expiresAt) => ({
    partnerReferenceNo: ctx.ids.externalId,
    amount: snapAmount(ctx.command.amount.value),
    validityPeriod: expiresAt,
  }),
  action: (answer, expiresAt) =>
    Promise.resolve(
      typeof answer['qrContent'] === 'string' ? { kind: 'qr' as const, qrString: answer['qrContent'], expiresAt } : undefined,
    ),
  missingAction: 'Midtrans answered without a QR string',
};
const qr = snapOperations<Details>({
  charge: qrCharge,
  status: { path: '/v1.0/qr/query', body: () => ({ serviceCode: '47' }), amountField: 'amount' },
});

describe('snapOperations', () => {
  it('declares only what is declared, status always, in the contracts operation order', () => {
    expect(Object.keys(qr)).toEqual(['charge', 'status']);
    const all = snapOperations<Details>({
      refund: { path: '/v1.0/x/refund', body: () => ({}) },
      cancel: { path: '/v1.0/x/cancel', body: () => ({}) },
      status: { path: '/v1.0/x/status', body: () => ({}), amountField: 'amount' },
      charge: qrCharge,
    });
    expect(Object.keys(all)).toEqual(['charge', 'status', 'cancel', 'refund']);
  });

  it('records the charge under the partnerReferenceNo it sent, with the expiry from validForMinutes', async () => {
    const midtrans = scripted(accepted({ referenceNo: 'A1', qrContent: '000201' }, '2004700'));
    const update = await qr.charge?.(contextFor({ validForMinutes: 10 }, midtrans));
    expect(midtrans.calls[0]).toEqual({
      path: '/v1.0/qr/generate',
      externalId: IDS.externalId,
      body: {
        partnerReferenceNo: IDS.externalId,
        amount: { value: '150000.00', currency: 'IDR' },
        validityPeriod: '2026-11-24T03:10:00.000Z',
      },
    });
    expect(update).toEqual({
      status: 'action_required',
      references: { externalId: IDS.externalId, partnerReferenceNo: IDS.externalId, referenceNo: 'A1' },
      responseCode: '2004700',
      action: { kind: 'qr', qrString: '000201', expiresAt: '2026-11-24T03:10:00.000Z' },
    });
  });

  it('stays pending with the declared reason when an accepted charge lacks the action, or a general one', async () => {
    const lacking = accepted({ referenceNo: 'A1' }, '2004700');
    expect(await qr.charge?.(contextFor({ validForMinutes: 10 }, scripted(lacking)))).toMatchObject({
      status: 'pending',
      responseCode: '2004700',
      reason: 'Midtrans answered without a QR string',
    });
    const { missingAction: _reason, ...undeclared } = qrCharge;
    const plain = snapOperations<Details>({
      charge: undeclared,
      status: { path: '/v1.0/qr/query', body: () => ({}), amountField: 'amount' },
    });
    expect(await plain.charge?.(contextFor({ validForMinutes: 10 }, scripted(lacking)))).toMatchObject({
      status: 'pending',
      reason: "Midtrans answered without the customer's action",
    });
  });

  it('never sends a charge body that carries the clock, even when the handler is asked twice', async () => {
    const a = scripted(refused('conflict', 'Duplicate X-EXTERNAL-ID', '4094700'));
    const b = scripted(refused('conflict', 'Duplicate X-EXTERNAL-ID', '4094700'));
    const first = await qr.charge?.(contextFor({ validForMinutes: 10 }, a));
    await qr.charge?.(contextFor({ validForMinutes: 10 }, b));
    expect(JSON.stringify(b.calls)).toBe(JSON.stringify(a.calls));
    expect(first).toEqual({
      status: 'pending',
      references: { externalId: IDS.externalId, partnerReferenceNo: IDS.externalId },
      responseCode: '4094700',
      reason: 'Duplicate X-EXTERNAL-ID',
    });
  });

  it('reads the amount and currency from the declared answer field only', async () => {
    const answer = accepted({
      latestTransactionStatus: '00',
      amount: { value: '45000.00', currency: 'IDR' },
      transAmount: { value: '1.00', currency: 'USD' },
    });
    const update = await qr.status(contextFor({ validForMinutes: 10 }, scripted(answer), { type: 'payment.status' }));
    expect(update).toMatchObject({ status: 'succeeded', amount: 45_000, currency: 'IDR' });
  });

  it('keeps the hostile parts of an answer out of the update: no success without the code, no reference that is not a string', async () => {
    const answer = accepted({ latestTransactionStatus: ['00'], originalReferenceNo: { $ne: '' }, amount: { value: '1e5', currency: 5 } });
    const update = await qr.status(contextFor({ validForMinutes: 10 }, scripted(answer), { references: { referenceNo: 'A1' } }));
    expect(update).toEqual({ status: 'pending', references: { referenceNo: 'A1' }, responseCode: '2005400' });
  });
});
