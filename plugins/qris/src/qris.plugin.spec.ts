import { fakeMidtrans, runContractSuite } from '@paystream/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { qrisPlugin } from './qris.plugin.ts';

const answer = { responseCode: '2004700', referenceNo: 'A1202611', qrContent: '00020101021226620014ID.CO.QRIS.WWW6304ABCD' };
runContractSuite(qrisPlugin, { validDetails: { validForMinutes: 10 }, chargeAnswer: answer });

describe('qris charge', () => {
  it('sends the X-EXTERNAL-ID as partnerReferenceNo, the MID, and returns the QR string with a PNG of it', async () => {
    const midtrans = fakeMidtrans(() => answer);
    const ids = { externalId: '6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3e', idempotencyKey: 'k', refundNo: 'r', inquiryId: 'i' };
    const command = {
      commandId: '6f1c0c6e-6b0b-4c53-9a0f-0f6f0b1c2d3f',
      type: 'payment.charge' as const,
      method: 'qris',
      orderId: 'o-1',
      amount: { value: 45000, currency: 'IDR' as const },
      details: { validForMinutes: 10, acquirer: 'gopay' },
      requestedAt: '2026-11-24T10:00:00+07:00',
    };
    const update = await qrisPlugin.operations.charge!({
      command,
      midtrans,
      ids,
      references: {},
      account: { merchantId: 'G123', vaPartnerServiceIds: {} },
      now: () => new Date(),
    });
    expect(midtrans.calls[0]?.body).toMatchObject({
      partnerReferenceNo: ids.externalId,
      merchantId: 'G123',
      amount: { value: '45000.00', currency: 'IDR' },
      validityPeriod: '2026-11-24T03:10:00.000Z',
    });
    expect(update).toMatchObject({ status: 'action_required', action: { kind: 'qr', qrString: answer.qrContent } });
    expect(update.action?.qrPngDataUrl).toMatch(/^data:image\/png;base64,iVBOR/);
  });
});
