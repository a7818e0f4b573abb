// The admin API under /_sim/ that tests and the demo drive: customers paying, expiry, faults, key
// rotation, revocation, webhook targets, and read access to the ledger and the request log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context.ts';
import { findTx, send, type AdminRoutes, type Body } from './admin-call.ts';
import { credentialRoutes } from './admin-credentials.ts';
import { discrepancyRoutes } from './admin-discrepancy.ts';
import { harnessRoutes } from './admin-harness.ts';
import { transactionRoutes } from './admin-transactions.ts';

export const adminRoutes: AdminRoutes = { ...transactionRoutes, ...credentialRoutes, ...harnessRoutes, ...discrepancyRoutes };

export function handleAdmin(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): void {
  let body: Body = {};
  try {
    body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Body) : {};
  } catch {
    send(res, 400, { error: 'body must be JSON' });
    return;
  }
  const route = `${req.method ?? 'GET'} ${url.pathname.slice('/_sim'.length)}`;
  const handle = Object.hasOwn(adminRoutes, route) ? adminRoutes[route] : undefined;
  if (!handle) {
    send(res, 404, { error: `unknown admin route ${route}` });
    return;
  }
  handle({ ctx, res, url, body, tx: () => findTx(ctx.store, body) });
}
