// The BI-SNAP transactional endpoints under /v1.0/: the request is verified (signature, token,
// timestamp), answered once per X-EXTERNAL-ID, and the route's answer logged and stored for replays.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SnapFailure, fail, responseCode } from '../codes.ts';
import { notifyMerchant, type SimContext } from '../context.ts';
import { json, parseJson } from '../http.ts';
import { logRequest } from '../request-log.ts';
import { header, minify, verifyTransactional } from '../snap-auth.ts';
import { snapRoutes, type Route, type RouteContext } from '../snap-routes.ts';
import { faultBefore, finish, replyTarget } from './fault-gate.ts';
import { snapAnswer, type ApiCall } from './snap-answer.ts';

/** How long an X-EXTERNAL-ID is remembered, as at Midtrans. */
const IDEMPOTENCY_MS = 24 * 3_600_000;

export async function handleSnap(ctx: SimContext, req: IncomingMessage, client: ServerResponse, path: string, raw: Buffer): Promise<void> {
  const route = snapRoutes[path];
  if (!route) {
    snapAnswer(ctx, client, { req, path, service: '00' }, 404, '00', 'Not Found');
    return;
  }
  const call: ApiCall = { req, path, service: route.service };
  const { answered, after } = await faultBefore(ctx, client, call);
  if (answered) return;
  const res = replyTarget(client, after);
  try {
    verifyTransactional('POST', path, req.headers, raw, ctx.creds, ctx.store, ctx.maxSkewMs);
    answerOnce(ctx, res, call, route, raw);
  } catch (err) {
    if (!(err instanceof SnapFailure)) throw err;
    snapAnswer(ctx, res, call, err.http, err.caseCode, err.message);
  }
  await finish(ctx, client, call, after);
}

/** Runs the route, or replays its first answer to a repeat of the same X-EXTERNAL-ID and body. */
function answerOnce(ctx: SimContext, res: ServerResponse, call: ApiCall, route: Route, raw: Buffer): void {
  const externalId = header(call.req.headers, 'x-external-id') ?? '';
  const key = `${ctx.creds.partnerId}:${externalId}`;
  const bodyHash = createHash('sha256').update(minify(raw)).digest('hex');
  const seen = ctx.store.idempotency.get(key);
  if (seen && Date.now() - seen.at < IDEMPOTENCY_MS) {
    if (seen.bodyHash !== bodyHash) throw fail.conflict();
    logRequest(ctx.requests, call.req, call.path, seen.status, String((seen.body as Record<string, unknown>)['responseCode']));
    json(res, seen.status, seen.body);
    return;
  }
  const body = parseJson(raw);
  if (!body) throw fail.badFormat('body');
  const answer = route.handle(body, routeContext(ctx, externalId));
  const status = answer.status ?? 200;
  const code = responseCode(status, route.service, answer.caseCode ?? '00');
  const out = { responseCode: code, responseMessage: 'Successful', ...answer.body };
  ctx.store.idempotency.set(key, { bodyHash, status, body: out, at: Date.now() });
  logRequest(ctx.requests, call.req, call.path, status, code);
  json(res, status, out);
}

function routeContext(ctx: SimContext, externalId: string): RouteContext {
  return {
    store: ctx.store,
    externalId,
    customerBaseUrl: ctx.baseUrl,
    onChange: (tx) => {
      notifyMerchant(ctx, tx);
    },
    amountLimit: (method) => (Object.hasOwn(ctx.amountLimits, method) ? ctx.amountLimits[method] : undefined),
  };
}
