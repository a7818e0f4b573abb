// Admin routes that act for the customer or the dashboard on one transaction: pay, decline, resend a
// notification, expire, look up; and the per-method amount limits.
import { decline, pay, renotify } from '../customer-actions.ts';
import type { SnapStatus, Tx } from '../store.ts';
import { findTx, send, type AdminCall, type AdminRoutes } from './admin-call.ts';

const SNAP_STATUSES: readonly string[] = ['00', '01', '03', '04', '05', '06', '08', '09'] satisfies SnapStatus[];

/** Runs `act` on the named transaction and answers its reference and status, or 404 when there is none. */
function onTx(call: AdminCall, act: (t: Tx) => number): void {
  const t = call.tx();
  if (!t) send(call.res, 404, { error: 'no such transaction' });
  else send(call.res, act(t), { referenceNo: t.referenceNo, status: t.status });
}

function renotifyRoute({ ctx, res, body, tx }: AdminCall): void {
  const t = tx();
  const status = body['status'];
  if (!t) send(res, 404, { error: 'no such transaction' });
  else if (status !== undefined && (typeof status !== 'string' || !SNAP_STATUSES.includes(status)))
    send(res, 400, { error: `status is one of ${SNAP_STATUSES.join(', ')}` });
  else {
    renotify(ctx, t, status as SnapStatus | undefined);
    send(res, 200, { referenceNo: t.referenceNo, status: status ?? t.status });
  }
}

function limitsRoute({ ctx, res, body }: AdminCall): void {
  const method = body['method'];
  const max = body['maxAmount'];
  if (typeof method !== 'string' || (max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)))
    send(res, 400, { error: 'give { method, maxAmount: positive whole rupiah, or null to lift the limit }' });
  else {
    if (max === null) Reflect.deleteProperty(ctx.amountLimits, method);
    else ctx.amountLimits[method] = max;
    send(res, 200, { amountLimits: ctx.amountLimits });
  }
}

function transactionRoute({ ctx, res, url, tx }: AdminCall): void {
  const orderId = url.searchParams.get('orderId');
  const t = tx() ?? (orderId ? findTx(ctx.store, { orderId }) : undefined);
  send(res, t ? 200 : 404, t ?? { error: 'no such transaction' });
}

export const transactionRoutes: AdminRoutes = {
  'POST /pay': (call) => {
    onTx(call, (t) => (pay(call.ctx, t) ? 200 : 409));
  },
  'POST /decline': (call) => {
    onTx(call, (t) => (decline(call.ctx, t) ? 200 : 409));
  },
  'POST /renotify': renotifyRoute,
  'POST /limits': limitsRoute,
  'POST /expire': (call) => {
    onTx(call, (t) => {
      call.ctx.store.expireIfDue(t, Number.POSITIVE_INFINITY);
      return 200;
    });
  },
  'GET /transactions': transactionRoute,
};
