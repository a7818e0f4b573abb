// BI-SNAP direct debit (GoPay, ShopeePay, DANA): payment host-to-host, status, cancel, refund.
import { fail } from '../codes.ts';
import { cancelRoute, refundRoute } from './after-payment.ts';
import { amount, create, lookup, money, obj, str, validity, type Route } from './common.ts';
import { DEBIT_PAY_METHODS } from './debit-methods.ts';

const DEBIT_METHODS = new Set(DEBIT_PAY_METHODS);

export const debitRoutes: Record<string, Route> = {
  '/v1.0/debit/payment-host-to-host': {
    service: '54',
    handle: (body, ctx) => {
      const partnerReferenceNo = str(body, 'partnerReferenceNo');
      const options = body['payOptionDetails'];
      const first = Array.isArray(options) ? obj(options[0]) : undefined;
      if (!first) throw fail.mandatory('payOptionDetails');
      const method = (typeof first['payMethod'] === 'string' ? first['payMethod'] : '').toUpperCase();
      if (!DEBIT_METHODS.has(method)) throw fail.badFormat('payOptionDetails.payMethod');
      const value = amount(first['transAmount'], 'payOptionDetails.transAmount');
      const tx = create(ctx, 'debit', method.toLowerCase(), partnerReferenceNo, value, validity(body['validUpTo'], 'validUpTo'));
      const url = `${ctx.customerBaseUrl}/pay/${tx.referenceNo}`;
      return {
        body: {
          referenceNo: tx.referenceNo,
          partnerReferenceNo,
          webRedirectUrl: url,
          appRedirectUrl: `${method.toLowerCase()}://pay?ref=${tx.referenceNo}`,
          additionalInfo: {
            paymentType: method.toLowerCase(),
            grossAmount: money(value),
            validUpTo: new Date(tx.validUntil).toISOString(),
          },
        },
      };
    },
  },
  '/v1.0/debit/status': {
    service: '55',
    handle: (body, ctx) => {
      if (body['serviceCode'] !== '54') throw fail.badFormat('serviceCode');
      const tx = lookup(ctx, 'debit', body);
      return {
        body: {
          originalReferenceNo: tx.referenceNo,
          originalPartnerReferenceNo: tx.partnerReferenceNo,
          originalExternalId: tx.externalId,
          serviceCode: '54',
          latestTransactionStatus: tx.status,
          transAmount: money(tx.amount),
          ...(tx.paidAt ? { paidTime: new Date(tx.paidAt).toISOString() } : {}),
          refundHistory: tx.refunds.map((r) => ({
            refundNo: r.refundNo,
            partnerReferenceNo: r.partnerRefundNo,
            refundAmount: money(r.amount),
            refundStatus: '00',
            refundDate: new Date(r.at).toISOString(),
          })),
          additionalInfo: { validUpTo: new Date(tx.validUntil).toISOString() },
        },
      };
    },
  },
  '/v1.0/debit/cancel': cancelRoute('57', 'debit'),
  '/v1.0/debit/refund': refundRoute('58', 'debit'),
};
