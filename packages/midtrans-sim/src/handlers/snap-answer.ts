// A BI-SNAP answer built from its parts (HTTP status, service code, case code), logged as it leaves.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { responseCode } from '../codes.ts';
import type { SimContext } from '../context.ts';
import { json } from '../http.ts';
import { logRequest } from '../request-log.ts';

export interface SnapCall {
  readonly req: IncomingMessage;
  readonly path: string;
  readonly service: string;
}

export function snapAnswer(
  ctx: SimContext,
  res: ServerResponse,
  call: SnapCall,
  status: number,
  caseCode: string,
  message: string,
  body: Record<string, unknown> = {},
): void {
  const code = responseCode(status, call.service, caseCode);
  logRequest(ctx.requests, call.req, call.path, status, code);
  json(res, status, { responseCode: code, responseMessage: message, ...body });
}
