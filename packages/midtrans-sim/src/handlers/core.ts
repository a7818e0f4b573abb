// Core API v2 under /v2/: card tokens (client key, no fault injection), then Basic auth with the
// server key, the charge and the transaction actions.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkBasicAuth, text, type CoreAnswer } from '../core-wire.ts';
import type { SimContext } from '../context.ts';
import { json, parseJson } from '../http.ts';
import { logRequest } from '../request-log.ts';
import { header } from '../snap-auth.ts';
import { faultBefore, finish, replyTarget } from './fault-gate.ts';
import type { ApiCall } from './snap-answer.ts';

const ACTION = /^\/v2\/([^/]+)\/(status|cancel|expire|refund|approve|deny|refund\/online\/direct)$/;
const UNAUTHORIZED = {
  status_code: '401',
  status_message: 'Access denied due to unauthorized transaction, please check client or server key',
};

export async function handleCore(ctx: SimContext, req: IncomingMessage, client: ServerResponse, url: URL, raw: Buffer): Promise<void> {
  const path = url.pathname;
  if (path === '/v2/token') {
    const a = ctx.core.token(url.searchParams);
    logRequest(ctx.requests, req, path, a.status, String(a.body['status_code']));
    json(client, a.status, a.body);
    return;
  }
  const call: ApiCall = { req, path, service: '00' };
  const { answered, after } = await faultBefore(ctx, client, call);
  if (answered) return;
  const res = replyTarget(client, after);
  if (!checkBasicAuth(header(req.headers, 'authorization'), ctx.serverKey)) {
    logRequest(ctx.requests, req, path, 401, '401');
    json(res, 401, UNAUTHORIZED);
  } else {
    const a = coreAnswer(ctx, req, path, parseJson(raw) ?? {});
    logRequest(ctx.requests, req, path, a.status, String(a.body['status_code']));
    // Core API answers 200 on the wire and carries the outcome in status_code, as Midtrans does.
    json(res, a.status >= 500 ? a.status : 200, a.body);
  }
  await finish(ctx, client, call, after);
}

function coreAnswer(ctx: SimContext, req: IncomingMessage, path: string, body: Record<string, unknown>): CoreAnswer {
  if (path === '/v2/charge') return ctx.core.charge(body, header(req.headers, 'idempotency-key'));
  if (path === '/v2/capture') return ctx.core.action(text(body['transaction_id']), 'approve', body);
  const m = ACTION.exec(path);
  if (m) return ctx.core.action(decodeURIComponent(m[1] ?? ''), m[2] ?? '', body);
  return { status: 404, body: { status_code: '404', status_message: 'Not Found' } };
}
