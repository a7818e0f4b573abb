import { describe, expect, it } from 'vitest';
import type { OperationContext } from '@paystream/plugin-sdk';
import { createBody, customerNoOf, dialledNumber, numbersFor, padPartnerServiceId, readInquiry, VaDetails } from './va.mapping.ts';

const externalId = '6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3e';

function ctx(
  details: Record<string, unknown>,
  extra: { customer?: { firstName?: string; lastName?: string; email?: string }; merchantId?: string; now?: Date } = {},
): OperationContext<VaDetails> {
  const command = {
    commandId: '6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3f',
    type: 'payment.charge' as const,
    method: 'va',
    orderId: 'order-2026-0001',
    amount: { value: 310_000, currency: 'IDR' as const },
    ...(extra.customer ? { customer: extra.customer } : {}),
    details: VaDetails.parse(details),
    requestedAt: '2026-11-24T10:00:00+07:00',
  };
  const midtrans = { snap: () => Promise.reject(new Error('not called')), coreApi: () => Promise.reject(new Error('not called')) };
  return {
    command,
    midtrans,
    ids: { externalId, idempotencyKey: 'k', refundNo: 'r', inquiryId: 'i' },
    references: {},
    account: { ...(extra.merchantId ? { merchantId: extra.merchantId } : {}), vaPartnerServiceIds: {} },
    now: () => extra.now ?? new Date(),
  };
}

describe('paymentFlagStatus → Paystream status', () => {
  // Every code of the BI-SNAP table (reference §2.6); VA inquiries answer 00/03/05/08 for single-use accounts.
  it.each([
    ['00', 'succeeded'],
    ['01', 'pending'],
    ['02', 'pending'],
    ['03', 'pending'],
    ['04', 'refunded'],
    ['05', 'canceled'],
    ['06', 'failed'],
    ['07', 'pending'],
    ['08', 'expired'],
    ['09', 'failed'],
    ['99', 'pending'],
    [undefined, 'pending'],
  ])('%s → %s', (flag, expected) => {
    expect(
      readInquiry({ ...(flag === undefined ? {} : { paymentFlagStatus: flag }), totalAmount: { value: '310000.00', currency: 'IDR' } })
        .status,
    ).toBe(expected);
  });

  it('reads the paid amount before the billed one, and no amount from a malformed value', () => {
    expect(
      readInquiry({
        paymentFlagStatus: '00',
        paidAmount: { value: '300000.00', currency: 'IDR' },
        totalAmount: { value: '310000.00', currency: 'IDR' },
      }).amount,
    ).toBe(300_000);
    expect(readInquiry({ paymentFlagStatus: '03', totalAmount: { value: '310000.00', currency: 'IDR' } }).amount).toBe(310_000);
    expect(readInquiry({ paymentFlagStatus: '03', totalAmount: { value: '310000', currency: 'IDR' } }).amount).toBeUndefined();
    expect(readInquiry(undefined)).toEqual({ status: 'pending' });
  });

  it('keeps the paymentRequestId of a paid account', () => {
    expect(readInquiry({ paymentFlagStatus: '00', paymentRequestId: 'A120261124' }).paymentRequestId).toBe('A120261124');
  });
});

describe('account numbers', () => {
  it('left-pads the partnerServiceId to 8 characters with spaces', () => {
    expect(padPartnerServiceId('70012')).toBe('   70012');
    expect(padPartnerServiceId('12345678')).toBe('12345678');
  });

  it('derives a 12-digit customer number from the X-EXTERNAL-ID, always the same for the same id', () => {
    expect(customerNoOf(externalId)).toMatch(/^\d{12}$/);
    expect(customerNoOf(externalId)).toBe(customerNoOf(externalId));
    expect(customerNoOf(externalId)).not.toBe(customerNoOf('6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3f'));
  });

  it('spreads customer numbers: 10,000 ids give 10,000 numbers', () => {
    const numbers = new Set(
      Array.from({ length: 10_000 }, (_, i) => customerNoOf(`00000000-0000-5000-8000-${String(i).padStart(12, '0')}`)),
    );
    expect(numbers.size).toBe(10_000);
  });

  it('keeps virtualAccountNo = partnerServiceId + customerNo within 28 characters, the trxId being the X-EXTERNAL-ID', () => {
    const n = numbersFor(ctx({ bank: 'bri' }), '12345678');
    expect(n).toEqual({
      partnerServiceId: '12345678',
      customerNo: customerNoOf(externalId),
      virtualAccountNo: `12345678${customerNoOf(externalId)}`,
      trxId: externalId,
    });
    expect(n.virtualAccountNo.length).toBeLessThanOrEqual(28);
    expect(dialledNumber(numbersFor(ctx({ bank: 'bca' }), '70012').virtualAccountNo)).toBe(`70012${customerNoOf(externalId)}`);
  });
});

describe('create-va body', () => {
  it('sends the amount with two decimals, the expiry from requestedAt, the MID and the BCA sub-company code', () => {
    const c = ctx(
      { bank: 'bca', validForMinutes: 90 },
      { merchantId: 'G123456789', customer: { firstName: 'Siti', lastName: 'Rahma', email: 'siti@example.com' } },
    );
    const { body, expiresAt } = createBody(c, numbersFor(c, '70012'));
    expect(expiresAt).toBe('2026-11-24T04:30:00.000Z');
    expect(body).toMatchObject({
      partnerServiceId: '   70012',
      virtualAccountName: 'Siti Rahma',
      virtualAccountEmail: 'siti@example.com',
      trxId: externalId,
      totalAmount: { value: '310000.00', currency: 'IDR' },
      expiredDate: expiresAt,
      additionalInfo: { bank: 'bca', merchantId: 'G123456789', subCompanyCode: '00000' },
    });
    const own = ctx({ bank: 'bca', subCompanyCode: '12345' });
    expect(createBody(own, numbersFor(own, '70012')).body['additionalInfo']).toEqual({ bank: 'bca', subCompanyCode: '12345' });
  });

  it('gives Mandiri its two bill-information lines within 10 and 30 characters', () => {
    const c = ctx({ bank: 'mandiri' });
    const info = createBody(c, numbersFor(c, '88908')).body['additionalInfo'] as { mandiri: { billInfo1: string; billInfo2: string } };
    expect(info.mandiri.billInfo1.length).toBeLessThanOrEqual(10);
    expect(info.mandiri.billInfo2).toBe('Order order-2026-0001');
    expect(info.mandiri.billInfo2.length).toBeLessThanOrEqual(30);
  });

  it('adds nothing bank-specific for the other banks', () => {
    for (const bank of ['bni', 'bri', 'permata', 'cimb']) {
      const c = ctx({ bank });
      expect(createBody(c, numbersFor(c, '8808')).body['additionalInfo']).toEqual({ bank });
    }
  });

  it('names the account after the details, else the customer, else the order', () => {
    const named = (details: Record<string, unknown>, customer?: { firstName: string }) => {
      const c = ctx(details, customer ? { customer } : {});
      return createBody(c, numbersFor(c, '8808')).body['virtualAccountName'];
    };
    expect(named({ bank: 'bni', customerName: ' Toko Maju ' }, { firstName: 'Siti' })).toBe('Toko Maju');
    expect(named({ bank: 'bni' }, { firstName: 'Siti' })).toBe('Siti');
    expect(named({ bank: 'bni' })).toBe('order-2026-0001');
  });

  it('derives every byte from the command, never from the clock', () => {
    const early = ctx({ bank: 'permata' }, { now: new Date('2026-11-24T03:00:00Z') });
    const late = ctx({ bank: 'permata' }, { now: new Date('2026-11-25T09:00:00Z') });
    expect(JSON.stringify(createBody(late, numbersFor(late, '8778')).body)).toBe(
      JSON.stringify(createBody(early, numbersFor(early, '8778')).body),
    );
  });
});

describe('details', () => {
  it('requires a known bank and defaults the validity to 24 hours', () => {
    expect(VaDetails.parse({ bank: 'cimb' })).toEqual({ bank: 'cimb', validForMinutes: 1_440 });
    expect(VaDetails.safeParse({ bank: 'maybank' }).success).toBe(false);
    expect(VaDetails.safeParse({}).success).toBe(false);
  });

  it('accepts a sub-company code for BCA only', () => {
    expect(VaDetails.safeParse({ bank: 'bca', subCompanyCode: '00001' }).success).toBe(true);
    expect(VaDetails.safeParse({ bank: 'bni', subCompanyCode: '00001' }).success).toBe(false);
    expect(VaDetails.safeParse({ bank: 'bca', subCompanyCode: '1' }).success).toBe(false);
  });
});
