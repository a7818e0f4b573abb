// `POST /v1.0/access-token/b2b`: the B2B access token, for a request signed with the merchant key.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SnapFailure, fail } from '../codes.ts';
import type { SimContext } from '../context.ts';
import { parseJson } from '../http.ts';
import { verifyTokenRequest } from '../snap-auth.ts';
import { faultBefore, finish, replyTarget } from './fault-gate.ts';
import { snapAnswer, type ApiCall } from './snap-answer.ts';

export const TOKEN_PATH = '/v1.0/access-token/b2b';
const TOKEN_SERVICE = '73';
const TOKEN_LIFETIME_MS = 900_000;

export async function handleToken(ctx: SimContext, req: IncomingMessage, client: ServerResponse, raw: Buffer): Promise<void> {
  const call: ApiCall = { req, path: TOKEN_PATH, service: TOKEN_SERVICE };
  const { answered, after } = await faultBefore(ctx, client, call);
  if (answered) return;
  const res = replyTarget(client, after);
  try {
    verifyTokenRequest(req.headers, ctx.creds, ctx.maxSkewMs);
    const body = parseJson(raw) ?? {};
    if (body['grantType'] !== 'client_credentials' && body['grant_type'] !== 'client_credentials') throw fail.badFormat('grantType');
    const accessToken = randomBytes(32).toString('base64url');
    ctx.store.tokens.set(accessToken, { clientId: ctx.creds.clientId, expiresAt: Date.now() + TOKEN_LIFETIME_MS });
    snapAnswer(ctx, res, call, 200, '00', 'Successful', { accessToken, tokenType: 'Bearer', expiresIn: '900' });
  } catch (err) {
    if (!(err instanceof SnapFailure)) throw err;
    snapAnswer(ctx, res, call, err.http, err.caseCode, err.message, { referenceNo: randomBytes(16).toString('hex') });
  }
  await finish(ctx, client, call, after);
}
