import { fakeMidtrans, runContractSuite } from '@paystream/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { card3dsPlugin } from './card-3ds.plugin.ts';

const token = '481111-1114-6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3e';
const pending = {
  status_code: '201',
  transaction_id: 't-1',
  transaction_status: 'pending',
  fraud_status: 'accept',
  redirect_url: 'https://api.sandbox.veritrans.co.id/v2/token/rba/redirect/t-1',
  gross_amount: '150000.00',
};
runContractSuite(card3dsPlugin, { validDetails: { tokenId: token }, chargeAnswer: pending });

const ctx = (answer: Record<string, string>) => {
  const midtrans = fakeMidtrans(() => answer);
  const command = {
    commandId: '6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3f',
    type: 'payment.charge' as const,
    method: 'card-3ds',
    orderId: 'o-1',
    amount: { value: 150000, currency: 'IDR' as const },
    details: { tokenId: token },
    requestedAt: '2026-11-24T10:00:00+07:00',
  };
  return {
    midtrans,
    c: {
      command,
      midtrans,
      ids: { externalId: 'x', idempotencyKey: 'idem-1', refundNo: 'rf-1', inquiryId: 'i' },
      references: {},
      account: { vaPartnerServiceIds: {} },
      now: () => new Date(),
    },
  };
};

describe('card-3ds', () => {
  it('always asks for 3DS, with the Idempotency-Key, and returns the challenge URL', async () => {
    const { midtrans, c } = ctx(pending);
    const update = await card3dsPlugin.operations.charge!(c);
    expect(midtrans.calls[0]).toMatchObject({
      method: 'POST',
      path: '/v2/charge',
      idempotencyKey: 'idem-1',
      body: { credit_card: { token_id: token, authentication: true }, transaction_details: { order_id: 'o-1', gross_amount: 150000 } },
    });
    expect(update).toMatchObject({ status: 'action_required', action: { kind: 'three_ds', url: pending.redirect_url } });
  });

  it.each([
    [{ transaction_status: 'capture', fraud_status: 'accept' }, 'succeeded'],
    [{ transaction_status: 'capture', fraud_status: 'challenge' }, 'pending_review'],
    [{ transaction_status: 'deny', fraud_status: 'deny' }, 'failed'],
    [{ transaction_status: 'settlement', fraud_status: 'accept' }, 'succeeded'],
    [{ transaction_status: 'expire' }, 'expired'],
    [{ transaction_status: 'refund' }, 'refunded'],
  ])('maps %o to %s', async (answer, expected) => {
    const { c } = ctx({ status_code: '200', transaction_id: 't-1', gross_amount: '150000.00', ...answer });
    expect((await card3dsPlugin.operations.status(c)).status).toBe(expected);
  });

  it('refuses a card number in place of a token, and any way to switch 3DS off', () => {
    expect(card3dsPlugin.details.safeParse({ tokenId: '4811111111111114' }).success).toBe(false);
    expect(card3dsPlugin.details.safeParse({ tokenId: token, authentication: false }).success).toBe(false);
  });
});
