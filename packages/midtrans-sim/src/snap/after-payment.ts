// Cancel and refund answer alike for every SNAP family that has them (direct debit, QRIS): only the
// service code and the kind of transaction looked up differ.
import type { TxKind } from '../store.ts';
import { cancel, lookup, money, refund, type Route } from './common.ts';

export function cancelRoute(service: string, kind: TxKind): Route {
  return {
    service,
    handle: (body, ctx) => {
      const tx = lookup(ctx, kind, body);
      cancel(ctx, tx);
      return {
        body: {
          originalReferenceNo: tx.referenceNo,
          originalPartnerReferenceNo: tx.partnerReferenceNo,
          cancelTime: new Date().toISOString(),
        },
      };
    },
  };
}

export function refundRoute(service: string, kind: TxKind): Route {
  return {
    service,
    handle: (body, ctx) => {
      const tx = lookup(ctx, kind, body);
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
  };
}
