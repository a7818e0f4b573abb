// Admin routes that set up a test run and read what happened: fault injection, the webhook targets
// and faults, and the deliveries, ledger, request log and counts.
import type { FaultKind } from '../faults.ts';
import { send, type AdminCall, type AdminRoutes } from './admin-call.ts';

function addFault({ ctx, res, body }: AdminCall): void {
  try {
    ctx.faults.add({
      kind: body['kind'] as FaultKind,
      path: typeof body['path'] === 'string' ? body['path'] : '*',
      ...(typeof body['count'] === 'number' ? { remaining: body['count'] } : {}),
      ...(typeof body['probability'] === 'number' ? { probability: body['probability'] } : {}),
      ...(typeof body['latencyMs'] === 'number' ? { latencyMs: body['latencyMs'] } : {}),
      ...(body['processed'] === true ? { processed: true } : {}),
    });
    send(res, 200, { faults: ctx.faults.list() });
  } catch (err) {
    send(res, 400, { error: (err as Error).message });
  }
}

function configureWebhooks({ ctx, res, body }: AdminCall): void {
  const c = ctx.webhooks.config;
  if (typeof body['snapBaseUrl'] === 'string') c.snapBaseUrl = body['snapBaseUrl'];
  if (typeof body['coreNotificationUrl'] === 'string') c.coreNotificationUrl = body['coreNotificationUrl'];
  if (typeof body['caPem'] === 'string') c.caPem = body['caPem'];
  if (typeof body['timeScale'] === 'number' && body['timeScale'] > 0) c.timeScale = body['timeScale'];
  if (typeof body['duplicate'] === 'boolean') c.duplicate = body['duplicate'];
  if (typeof body['wrongSignature'] === 'boolean') c.wrongSignature = body['wrongSignature'];
  if (typeof body['retiredKeySignature'] === 'boolean') c.retiredKeySignature = body['retiredKeySignature'];
  if (Array.isArray(body['dropOrders'])) for (const o of body['dropOrders']) c.dropOrders.add(String(o));
  if (Array.isArray(body['deliverOrders'])) for (const o of body['deliverOrders']) c.dropOrders.delete(String(o));
  send(res, 200, {
    snapBaseUrl: c.snapBaseUrl,
    coreNotificationUrl: c.coreNotificationUrl,
    timeScale: c.timeScale,
    duplicate: c.duplicate,
    wrongSignature: c.wrongSignature,
    retiredKeySignature: c.retiredKeySignature,
    dropOrders: [...c.dropOrders],
  });
}

function stats({ ctx, res }: AdminCall): void {
  const byStatus: Record<string, number> = {};
  for (const t of ctx.store.transactions.values()) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  send(res, 200, {
    transactions: ctx.store.transactions.size,
    byStatus,
    ledger: ctx.store.ledger.length,
    requests: ctx.requests.length,
    idempotencyKeys: ctx.store.idempotency.size,
    deliveries: ctx.webhooks.deliveries.length,
  });
}

export const harnessRoutes: AdminRoutes = {
  'POST /faults': addFault,
  'DELETE /faults': ({ ctx, res }) => {
    ctx.faults.clear();
    send(res, 200, { faults: [] });
  },
  'POST /webhooks': configureWebhooks,
  'GET /deliveries': ({ ctx, res }) => {
    send(res, 200, ctx.webhooks.deliveries);
  },
  'GET /ledger': ({ ctx, res }) => {
    send(res, 200, ctx.store.ledger);
  },
  'GET /requests': ({ ctx, res }) => {
    send(res, 200, ctx.requests);
  },
  'GET /stats': stats,
};
