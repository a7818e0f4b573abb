// BI-SNAP virtual accounts: create, status inquiry, delete.
import { fail } from '../codes.ts';
import { amount, cancel, create, money, obj, str, validity, type Route } from './common.ts';

export const vaRoutes: Record<string, Route> = {
  '/v1.0/transfer-va/create-va': {
    service: '27',
    handle: (body, ctx) => {
      const partnerServiceId = str(body, 'partnerServiceId');
      const customerNo = str(body, 'customerNo');
      const virtualAccountNo = str(body, 'virtualAccountNo');
      if (partnerServiceId.length !== 8) throw fail.badFormat('partnerServiceId');
      if (virtualAccountNo !== partnerServiceId + customerNo) throw fail.badFormat('virtualAccountNo');
      str(body, 'virtualAccountName');
      const trxId = str(body, 'trxId');
      const value = amount(body['totalAmount'], 'totalAmount');
      const info = obj(body['additionalInfo']);
      if (!info || typeof info['bank'] !== 'string') throw fail.mandatory('additionalInfo.bank');
      const tx = create(
        ctx,
        'va',
        `va-${info['bank']}`,
        trxId,
        value,
        validity(body['expiredDate'], 'expiredDate') + (body['expiredDate'] === undefined ? 23 * 3_600_000 + 45 * 60_000 : 0),
        { partnerServiceId, customerNo, virtualAccountNo, bank: info['bank'] },
      );
      return {
        body: {
          virtualAccountData: {
            partnerServiceId,
            customerNo,
            virtualAccountNo,
            virtualAccountName: body['virtualAccountName'],
            trxId,
            totalAmount: money(value),
            expiredDate: new Date(tx.validUntil).toISOString(),
            additionalInfo: info,
          },
        },
      };
    },
  },
  '/v1.0/transfer-va/status': {
    service: '26',
    handle: (body, ctx) => {
      const tx = ctx.store.find('va', { partnerReferenceNo: body['inquiryRequestId'] });
      if (!tx || tx.extra['virtualAccountNo'] !== body['virtualAccountNo']) throw fail.notFound();
      const flag = tx.status === '00' || tx.status === '04' ? '00' : tx.status === '05' ? '05' : tx.status === '08' ? '08' : '03';
      return {
        body: {
          virtualAccountData: {
            partnerServiceId: tx.extra['partnerServiceId'],
            customerNo: tx.extra['customerNo'],
            virtualAccountNo: tx.extra['virtualAccountNo'],
            inquiryRequestId: tx.partnerReferenceNo,
            ...(tx.paidAt ? { paymentRequestId: tx.referenceNo, transactionDate: new Date(tx.paidAt).toISOString() } : {}),
            totalAmount: money(tx.amount),
            paymentFlagStatus: flag,
            paymentFlagReason: { english: flag === '00' ? 'Success' : 'Pending' },
          },
        },
      };
    },
  },
  '/v1.0/transfer-va/delete-va': {
    service: '31',
    handle: (body, ctx) => {
      const tx = ctx.store.find('va', { partnerReferenceNo: body['trxId'] });
      if (!tx || tx.extra['virtualAccountNo'] !== body['virtualAccountNo']) throw fail.notFound();
      cancel(ctx, tx);
      return {
        body: {
          virtualAccountData: {
            partnerServiceId: tx.extra['partnerServiceId'],
            customerNo: tx.extra['customerNo'],
            virtualAccountNo: tx.extra['virtualAccountNo'],
            trxId: tx.partnerReferenceNo,
          },
        },
      };
    },
  },
};
