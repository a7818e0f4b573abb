// A BI-SNAP answer built from its parts (HTTP status, service code, case code), logged as it leaves.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { responseCode } from '../codes.ts';
import type { SimContext } from '../context.ts';
import { json } from '../http.ts';
import { logRequest } from '../request-log.ts';

/** A Midtrans API request as the fault gate, the answer and the request log see it. */
export interface ApiCall {
  readonly req: IncomingMessage;
  readonly path: string;
  /** The BI-SNAP service code of its response codes (`00` for the Core API and unknown paths). */
  readonly service: string;
}

export function snapAnswer(
  ctx: SimContext,
  res: ServerResponse,
  call: ApiCall,
  status: number,
  caseCode: string,
  message: string,
  body: Record<string, unknown> = {},
): void {
  const code = responseCode(status, call.service, caseCode);
  logRequest(ctx.requests, call.req, call.path, status, code);
  json(res, status, { responseCode: code, responseMessage: message, ...body });
}
