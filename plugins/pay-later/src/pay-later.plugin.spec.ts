import type { JsonObject, Operation } from '@paystream/plugin-sdk';
import { answered, fakeMidtrans, runContractSuite, type FakeAnswer } from '@paystream/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import charge from './__fixtures__/charge.json' with { type: 'json' };
import status from './__fixtures__/status.json' with { type: 'json' };
import cancel from './__fixtures__/cancel.json' with { type: 'json' };
import refund from './__fixtures__/refund.json' with { type: 'json' };
import { payLaterPlugin } from './pay-later.plugin.ts';

// Midtrans' answers, one file per operation (README checklist: fixtures), each given with its HTTP status.
const given = (a: { httpStatus: number; body: JsonObject }): FakeAnswer => answered(a.httpStatus, a.body);

runContractSuite(payLaterPlugin, { validDetails: { provider: 'akulaku' }, chargeAnswer: charge.pending.body });

const ids = {
  externalId: '0b6c39a4-5d2e-4f0a-9a51-3c1f2d9e8b70',
  idempotencyKey: 'idem-1',
  refundNo: 'refund-1',
  inquiryId: '7d0e9f5c-2b41-4c8e-b6a3-5e9f1a2c3d40',
};

/** Runs one operation on order-1, which Midtrans knows by transaction_id, against a Midtrans answering each path as `answer` says. */
async function run(op: Operation, answer: (path: string) => FakeAnswer) {
  const handler = payLaterPlugin.operations[op];
  if (!handler) throw new Error(`pay-later does not declare ${op}`);
  const midtrans = fakeMidtrans((call) => answer(call.path));
  const command = {
    commandId: '2f4a6c8e-0b1d-4e3f-8a5c-7e9b1d3f5a70',
    type: `payment.${op}` as const,
    method: 'pay-later',
    orderId: 'order-1',
    amount: { value: 150_000, currency: 'IDR' as const },
    details: payLaterPlugin.details.parse({ provider: 'akulaku' }) as Record<string, unknown>,
    requestedAt: '2026-11-24T10:00:00+07:00',
  };
  const references = op === 'charge' ? {} : { transactionId: '0f2d4b6a-8c1e-4a3f-9b5d-7e1c3a5f7b90' };
  const update = await handler({
    command,
    midtrans,
    ids,
    references,
    account: { merchantId: 'G000000001', vaPartnerServiceIds: {} },
    now: () => new Date(),
  });
  return { update, calls: midtrans.calls };
}

describe('pay-later charge', () => {
  it('asks the customer for the redirect action of an accepted charge', async () => {
    const { update, calls } = await run('charge', () => given(charge.pending));
    expect(update).toMatchObject({ status: 'action_required', action: { kind: 'redirect' } });
    expect(calls[0]).toMatchObject({ path: '/v2/charge' });
  });

  it("charges the provider's payment_type and gives the customer until that provider's expiry", async () => {
    const { update, calls } = await run('charge', () => given(charge.pending));
    expect(calls[0]?.body).toMatchObject({ payment_type: 'akulaku', transaction_details: { order_id: 'order-1', gross_amount: 150_000 } });
    expect(update.action).toMatchObject({ kind: 'redirect', expiresAt: '2026-11-24T05:00:00.000Z' });
  });

  it('refuses details naming no provider, or one Midtrans does not offer', () => {
    expect(payLaterPlugin.details.safeParse({ provider: 'kredivo' }).success).toBe(true);
    expect(payLaterPlugin.details.safeParse({ provider: 'atome' }).success).toBe(false);
    expect(payLaterPlugin.details.safeParse({}).success).toBe(false);
  });

  it("fails with Midtrans' message when it refuses the charge", async () => {
    const { update } = await run('charge', () => given(charge.refused));
    expect(update).toMatchObject({ status: 'failed', reason: charge.refused.body.status_message });
  });
});

describe('pay-later status', () => {
  it.each([
    ['success', 'succeeded'],
    ['pending', 'pending'],
    ['refused', 'pending'],
  ] as const)('reads the %s answer as %s', async (answer, expected) => {
    const { update, calls } = await run('status', () => given(status[answer]));
    expect(update).toMatchObject({ status: expected });
    expect(calls[0]).toMatchObject({ path: '/v2/order-1/status' });
  });

  // Extend with every status the method documents (README checklist: status table).
  it.each([
    ['settlement', 'succeeded'],
    ['pending', 'pending'],
    ['deny', 'failed'],
    ['expire', 'expired'],
    ['cancel', 'canceled'],
    ['refund', 'refunded'],
    ['not-a-status', 'pending'],
  ] as const)('maps transaction_status %s to %s', async (code, expected) => {
    const { update } = await run('status', () => ({ ...status.success.body, transaction_status: code }));
    expect(update).toMatchObject({ status: expected, amount: 150_000 });
  });
});

describe('pay-later cancel', () => {
  it('reads an accepted cancel as canceled', async () => {
    const { update, calls } = await run('cancel', () => given(cancel.success));
    expect(update).toMatchObject({ status: 'canceled' });
    expect(calls[0]).toMatchObject({ path: '/v2/order-1/cancel' });
  });

  it('asks the status when Midtrans refuses the cancel, and reports what it says', async () => {
    const { update, calls } = await run('cancel', (path) => given(path === '/v2/order-1/cancel' ? cancel.refused : status.pending));
    expect(update).toMatchObject({ status: 'pending' });
    expect(calls.map((c) => c.path)).toEqual(['/v2/order-1/cancel', '/v2/order-1/status']);
  });
});

describe('pay-later refund', () => {
  it('reads an accepted refund as refunded', async () => {
    const { update, calls } = await run('refund', () => given(refund.success));
    expect(update).toMatchObject({ status: 'refunded' });
    expect(calls[0]).toMatchObject({ path: '/v2/order-1/refund' });
  });

  it('asks the status when Midtrans refuses the refund, and reports what it says', async () => {
    const { update, calls } = await run('refund', (path) => given(path === '/v2/order-1/refund' ? refund.refused : status.pending));
    expect(update).toMatchObject({ status: 'pending' });
    expect(calls.map((c) => c.path)).toEqual(['/v2/order-1/refund', '/v2/order-1/status']);
  });
});
