import { fakeMidtrans, runContractSuite } from '@paystream/plugin-sdk/testing';
import type { JsonObject, MerchantAccount, MidtransApi, MidtransOutcome, OperationContext, SnapCall } from '@paystream/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { customerNoOf } from './va.mapping.ts';
import { vaPlugin } from './va.plugin.ts';

const account: MerchantAccount = { merchantId: 'G123456789', vaPartnerServiceIds: { bca: '70012', mandiri: '88908' } };
const created = (body: JsonObject): JsonObject => ({
  responseCode: '2002700',
  responseMessage: 'Successful',
  virtualAccountData: { ...body, additionalInfo: body['additionalInfo'] ?? {} },
});

// The kit charges as a merchant whose BCA prefix is configured (without it a VA charge fails before reaching Midtrans).
runContractSuite(vaPlugin, {
  validDetails: { bank: 'bca', validForMinutes: 60 },
  chargeAnswer: { responseCode: '2002700', virtualAccountData: { trxId: 'x' } },
  account,
});

const ids = {
  externalId: '6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3e',
  idempotencyKey: 'k',
  refundNo: 'r',
  inquiryId: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
};
const customerNo = customerNoOf(ids.externalId);
const charged = {
  externalId: ids.externalId,
  trxId: ids.externalId,
  partnerServiceId: '   70012',
  customerNo,
  virtualAccountNo: `   70012${customerNo}`,
  bank: 'bca',
};

function ctx(
  midtrans: MidtransApi,
  type: 'charge' | 'status' | 'cancel',
  details: Record<string, unknown> = { bank: 'bca', validForMinutes: 60 },
  references: Record<string, string> = {},
): OperationContext<unknown> {
  const command = {
    commandId: '6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3f',
    type: `payment.${type}` as const,
    method: 'va',
    orderId: 'o-1',
    amount: { value: 310_000, currency: 'IDR' as const },
    details: vaPlugin.details.parse(details) as Record<string, unknown>,
    requestedAt: '2026-11-24T10:00:00+07:00',
  };
  return { command, midtrans, ids, references, account, now: () => new Date() };
}

/** A Midtrans that refuses every call with the given answer, recording what it was sent. */
function refusing(
  kind: 'business' | 'invalid' | 'conflict' | 'not-found',
  raw: string,
  message: string,
): MidtransApi & { calls: SnapCall[] } {
  const calls: SnapCall[] = [];
  const outcome: MidtransOutcome = {
    ok: false,
    kind,
    httpStatus: Number(raw.slice(0, 3)),
    responseCode: { raw, http: Number(raw.slice(0, 3)), service: raw.slice(3, 5), case: raw.slice(5) },
    message,
    body: { responseCode: raw, responseMessage: message },
  };
  return {
    calls,
    snap: (call) => (calls.push(call), Promise.resolve(outcome)),
    coreApi: () => Promise.reject(new Error('VA uses BI-SNAP only')),
  };
}

describe('va charge', () => {
  it('opens the account with trxId = X-EXTERNAL-ID and returns the number to pay into', async () => {
    const midtrans = fakeMidtrans((call) => created(call.body ?? {}));
    const update = await vaPlugin.operations.charge!(ctx(midtrans, 'charge'));
    expect(midtrans.calls[0]).toMatchObject({
      path: '/v1.0/transfer-va/create-va',
      externalId: ids.externalId,
      body: { trxId: ids.externalId, partnerServiceId: '   70012', virtualAccountNo: charged.virtualAccountNo },
    });
    expect(update).toMatchObject({
      status: 'action_required',
      action: { kind: 'virtual_account', vaNumber: `70012${customerNo}`, bank: 'bca', expiresAt: '2026-11-24T04:00:00.000Z' },
    });
    expect(update.references).toEqual(charged);
  });

  it('addresses later calls with the numbers Midtrans echoes when they differ from the ones sent', async () => {
    const midtrans = fakeMidtrans((call) => created({ ...(call.body ?? {}), customerNo: '999', virtualAccountNo: '   70012999' }));
    const update = await vaPlugin.operations.charge!(ctx(midtrans, 'charge'));
    expect(update.references).toMatchObject({ customerNo: '999', virtualAccountNo: '   70012999' });
    expect(update.action?.vaNumber).toBe('70012999');
  });

  it('fails clearly, without calling Midtrans, when the bank has no configured partnerServiceId', async () => {
    const midtrans = fakeMidtrans(() => ({}));
    const update = await vaPlugin.operations.charge!(ctx(midtrans, 'charge', { bank: 'bni' }));
    expect(midtrans.calls).toHaveLength(0);
    expect(update.status).toBe('failed');
    expect(update.reason).toContain('merchants.<default>.virtualAccounts.bni');
  });

  it('fails on a refused create, and leaves a conflicting trxId to the status inquiry', async () => {
    const invalid = await vaPlugin.operations.charge!(
      ctx(refusing('invalid', '4002702', 'Invalid Mandatory Field virtualAccountName'), 'charge'),
    );
    expect(invalid).toMatchObject({
      status: 'failed',
      responseCode: '4002702',
      reason: 'Invalid Mandatory Field virtualAccountName',
      references: charged,
    });
    const conflict = await vaPlugin.operations.charge!(ctx(refusing('conflict', '4092700', 'Conflict'), 'charge'));
    expect(conflict).toMatchObject({ status: 'pending', responseCode: '4092700' });
  });
});

describe('va status', () => {
  it('resolves a charge whose outcome was unknown by sending the identical create again, which Midtrans replays', async () => {
    const midtrans = fakeMidtrans((call) => created(call.body ?? {}));
    const charged = await vaPlugin.operations.charge!(ctx(midtrans, 'charge'));
    const resolved = await vaPlugin.operations.status(ctx(midtrans, 'charge'));
    expect(midtrans.calls.map((c) => c.path)).toEqual(['/v1.0/transfer-va/create-va', '/v1.0/transfer-va/create-va']);
    expect(JSON.stringify(midtrans.calls[1])).toBe(JSON.stringify(midtrans.calls[0]));
    expect(resolved).toEqual(charged);
  });

  it.each([
    ['00', 'succeeded'],
    ['03', 'pending'],
    ['05', 'canceled'],
    ['08', 'expired'],
  ])('asks by the account numbers and trxId; paymentFlagStatus %s is %s', async (flag, expected) => {
    const midtrans = fakeMidtrans(() => ({
      responseCode: '2002600',
      virtualAccountData: {
        paymentFlagStatus: flag,
        totalAmount: { value: '310000.00', currency: 'IDR' },
        ...(flag === '00' ? { paymentRequestId: 'A1202611' } : {}),
      },
    }));
    const update = await vaPlugin.operations.status(ctx(midtrans, 'status', undefined, charged));
    expect(midtrans.calls[0]).toMatchObject({
      path: '/v1.0/transfer-va/status',
      externalId: ids.inquiryId,
      body: {
        partnerServiceId: '   70012',
        customerNo,
        virtualAccountNo: charged.virtualAccountNo,
        inquiryRequestId: ids.externalId,
        additionalInfo: { merchantId: 'G123456789' },
      },
    });
    expect(update).toMatchObject({ status: expected, amount: 310_000 });
    if (flag === '00') expect(update.references['paymentRequestId']).toBe('A1202611');
  });

  it('stays pending on a refused inquiry, and asks nothing before a charge recorded the numbers', async () => {
    expect(
      await vaPlugin.operations.status(ctx(refusing('not-found', '4042601', 'Transaction Not Found'), 'status', undefined, charged)),
    ).toMatchObject({ status: 'pending', responseCode: '4042601' });
    const midtrans = fakeMidtrans(() => ({}));
    expect((await vaPlugin.operations.status(ctx(midtrans, 'status', undefined, { externalId: ids.externalId }))).status).toBe('pending');
    expect(midtrans.calls).toHaveLength(0);
  });
});

describe('va cancel', () => {
  it('deletes the account by its numbers and trxId', async () => {
    const midtrans = fakeMidtrans(() => ({ responseCode: '2003100', virtualAccountData: {} }));
    const update = await vaPlugin.operations.cancel!(ctx(midtrans, 'cancel', undefined, charged));
    expect(midtrans.calls[0]).toMatchObject({
      path: '/v1.0/transfer-va/delete-va',
      body: {
        partnerServiceId: '   70012',
        customerNo,
        virtualAccountNo: charged.virtualAccountNo,
        trxId: ids.externalId,
        additionalInfo: { merchantId: 'G123456789' },
      },
    });
    expect(update.status).toBe('canceled');
  });

  it('asks the status when Midtrans refuses the delete', async () => {
    const midtrans = refusing('business', '4033100', 'Transaction Not Permitted');
    const update = await vaPlugin.operations.cancel!(ctx(midtrans, 'cancel', undefined, charged));
    expect(midtrans.calls.map((c) => c.path)).toEqual(['/v1.0/transfer-va/delete-va', '/v1.0/transfer-va/status']);
    expect(update.status).toBe('pending');
  });
});

describe('va declaration', () => {
  it('declares no refund, which BI-SNAP does not offer for virtual accounts, and listens on the VA payment path', () => {
    expect(Object.keys(vaPlugin.operations).sort()).toEqual(['cancel', 'charge', 'status']);
    expect(vaPlugin.notifications.snapPaths).toEqual(['/v1.0/transfer-va/payment']);
  });
});
