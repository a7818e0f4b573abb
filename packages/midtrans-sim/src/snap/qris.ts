// BI-SNAP QRIS MPM: generate the QR, query, cancel, refund.
import { qrisPayload } from '../qris.ts';
import { fail } from '../codes.ts';
import { cancelRoute, refundRoute } from './after-payment.ts';
import { amount, create, lookup, money, obj, str, validity, type Route } from './common.ts';

export const qrisRoutes: Record<string, Route> = {
  '/v1.0/qr/qr-mpm-generate': {
    service: '47',
    handle: (body, ctx) => {
      const partnerReferenceNo = str(body, 'partnerReferenceNo');
      const value = amount(body['amount'], 'amount');
      const tx = create(ctx, 'qris', 'qris', partnerReferenceNo, value, validity(body['validityPeriod'], 'validityPeriod'));
      const qrContent = qrisPayload(tx.referenceNo, value);
      Object.assign(tx.extra, { qrContent });
      return {
        body: {
          referenceNo: tx.referenceNo,
          partnerReferenceNo,
          qrContent,
          qrUrl: `${ctx.customerBaseUrl}/pay/${tx.referenceNo}`,
          additionalInfo: { acquirer: obj(body['additionalInfo'])?.['acquirer'] ?? 'gopay' },
        },
      };
    },
  },
  '/v1.0/qr/qr-mpm-query': {
    service: '51',
    handle: (body, ctx) => {
      if (body['serviceCode'] !== '47') throw fail.badFormat('serviceCode');
      const tx = lookup(ctx, 'qris', body);
      return {
        body: {
          originalReferenceNo: tx.referenceNo,
          originalPartnerReferenceNo: tx.partnerReferenceNo,
          serviceCode: '47',
          latestTransactionStatus: tx.status,
          transactionStatusDesc: tx.status === '00' ? 'SUCCESS' : 'PENDING',
          amount: money(tx.amount),
          ...(tx.paidAt ? { paidTime: new Date(tx.paidAt).toISOString() } : {}),
        },
      };
    },
  },
  '/v1.0/qr/qr-mpm-cancel': cancelRoute('77', 'qris'),
  '/v1.0/qr/qr-mpm-refund': refundRoute('78', 'qris'),
};
