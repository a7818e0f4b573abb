// The BI-SNAP transactional endpoints: direct debit (GoPay, ShopeePay, DANA), QRIS MPM and virtual
// accounts, each with its service code, mandatory fields and state transitions.
import { randomBytes } from 'node:crypto';
import { fail } from './codes.ts';
import { qrisPayload } from './qris.ts';
import type { Store, Tx, TxKind } from './store.ts';

type Body = Record<string, unknown>;
export interface Answer {
  readonly status?: number;
  readonly caseCode?: string;
  readonly body: Body;
}
export interface RouteContext {
  readonly store: Store;
  readonly externalId: string;
  readonly customerBaseUrl: string;
  readonly onChange: (tx: Tx) => void;
  /** The largest amount (rupiah) a method accepts, when a limit is configured. */
  readonly amountLimit: (method: string) => number | undefined;
}
export interface Route {
  readonly service: string;
  readonly handle: (body: Body, ctx: RouteContext) => Answer;
}

const AMOUNT = /^\d{1,14}\.\d{2}$/;
const REF = /^[A-Za-z0-9\-_~.]{1,64}$/;
const FIFTEEN_MIN = 15 * 60_000;

function obj(v: unknown): Body | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : undefined;
}

function str(body: Body, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw fail.mandatory(field);
  return v;
}

function amount(v: unknown, field: string): string {
  const a = obj(v);
  if (!a) throw fail.mandatory(field);
  if (typeof a['value'] !== 'string' || !AMOUNT.test(a['value']) || Number(a['value']) < 1) throw fail.badFormat(`${field}.value`);
  if (a['currency'] !== 'IDR') throw fail.badFormat(`${field}.currency`);
  return a['value'];
}

function validity(v: unknown, field: string): number {
  if (v === undefined) return Date.now() + FIFTEEN_MIN;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw fail.badFormat(field);
  return Date.parse(v);
}

function lookup(ctx: RouteContext, kind: TxKind, body: Body): Tx {
  const tx = ctx.store.find(kind, {
    referenceNo: body['originalReferenceNo'],
    partnerReferenceNo: body['originalPartnerReferenceNo'],
    externalId: body['originalExternalId'],
  });
  if (!tx) throw fail.notFound();
  return tx;
}

function create(
  ctx: RouteContext,
  kind: TxKind,
  method: string,
  partnerReferenceNo: string,
  value: string,
  validUntil: number,
  extra: Body = {},
): Tx {
  if (!REF.test(partnerReferenceNo)) throw fail.badFormat('partnerReferenceNo');
  const limit = ctx.amountLimit(method);
  if (limit !== undefined && Number(value) > limit) throw fail.amountLimit();
  const tx: Tx = {
    referenceNo: ctx.store.newReference(),
    kind,
    method,
    partnerReferenceNo,
    externalId: ctx.externalId,
    amount: value,
    status: '03',
    createdAt: Date.now(),
    validUntil,
    refunds: [],
    extra,
  };
  ctx.store.add(tx);
  return tx;
}

const money = (value: string) => ({ value, currency: 'IDR' });

function cancel(ctx: RouteContext, tx: Tx): void {
  if (tx.status !== '03' && tx.status !== '01') throw fail.notPermitted(` Transaction status is ${tx.status}`);
  tx.status = '05';
  ctx.store.record('canceled', tx);
  ctx.onChange(tx);
}

function refund(ctx: RouteContext, tx: Tx, body: Body): { refundNo: string; value: string; partnerRefundNo: string } {
  const partnerRefundNo = str(body, 'partnerRefundNo');
  if (tx.refunds.some((r) => r.partnerRefundNo === partnerRefundNo)) throw fail.duplicateRefund();
  if (tx.status !== '00' && tx.status !== '04') throw fail.notPermitted(' Transaction is not settled');
  const value = body['refundAmount'] === undefined ? tx.amount : amount(body['refundAmount'], 'refundAmount');
  const refunded = tx.refunds.reduce((s, r) => s + Number(r.amount), 0);
  if (Number(value) + refunded > Number(tx.amount)) throw fail.notPermitted(' Refund amount exceeds the paid amount');
  const refundNo = `R${randomBytes(8).toString('hex')}`;
  tx.refunds.push({ refundNo, partnerRefundNo, amount: value, at: Date.now() });
  tx.status = '04';
  ctx.store.record('refund', tx, value);
  ctx.onChange(tx);
  return { refundNo, value, partnerRefundNo };
}

const DEBIT_METHODS = new Set(['GOPAY', 'SHOPEEPAY', 'DANA']);

export const snapRoutes: Record<string, Route> = {
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
  '/v1.0/debit/cancel': {
    service: '57',
    handle: (body, ctx) => {
      const tx = lookup(ctx, 'debit', body);
      cancel(ctx, tx);
      return {
        body: {
          originalReferenceNo: tx.referenceNo,
          originalPartnerReferenceNo: tx.partnerReferenceNo,
          cancelTime: new Date().toISOString(),
        },
      };
    },
  },
  '/v1.0/debit/refund': {
    service: '58',
    handle: (body, ctx) => {
      const tx = lookup(ctx, 'debit', body);
      const r = refund(ctx, tx, body);
      return {
        body: {
          originalReferenceNo: tx.referenceNo,
          originalPartnerReferenceNo: tx.partnerReferenceNo,
          refundNo: r.refundNo,
          partnerRefundNo: r.partnerRefundNo,
          refundAmount: money(r.value),
          refundTime: new Date().toISOString(),
        },
      };
    },
  },
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
  '/v1.0/qr/qr-mpm-cancel': {
    service: '77',
    handle: (body, ctx) => {
      const tx = lookup(ctx, 'qris', body);
      cancel(ctx, tx);
      return {
        body: {
          originalReferenceNo: tx.referenceNo,
          originalPartnerReferenceNo: tx.partnerReferenceNo,
          cancelTime: new Date().toISOString(),
        },
      };
    },
  },
  '/v1.0/qr/qr-mpm-refund': {
    service: '78',
    handle: (body, ctx) => {
      const tx = lookup(ctx, 'qris', body);
      const r = refund(ctx, tx, body);
      return {
        body: {
          originalReferenceNo: tx.referenceNo,
          originalPartnerReferenceNo: tx.partnerReferenceNo,
          refundNo: r.refundNo,
          partnerRefundNo: r.partnerRefundNo,
          refundAmount: money(r.value),
          refundTime: new Date().toISOString(),
        },
      };
    },
  },
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
