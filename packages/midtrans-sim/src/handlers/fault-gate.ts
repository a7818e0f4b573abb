// Where injected faults meet a Midtrans request: before the handler runs, and after it when a
// `processed` fault replaces the answer Midtrans gave.
import type { ServerResponse } from 'node:http';
import type { SimContext } from '../context.ts';
import type { Fault } from '../faults.ts';
import { discard } from '../http.ts';
import { logRequest } from '../request-log.ts';
import { snapAnswer, type ApiCall } from './snap-answer.ts';

/** Fault kinds that answer in Midtrans' place (the others delay or expire tokens, then let Midtrans answer). */
const ANSWERING: ReadonlySet<Fault['kind']> = new Set([
  'no-answer',
  'reset',
  'error-500',
  'error-504',
  'in-progress-202',
  'rate-limit-429',
]);

export interface FaultGate {
  /** A fault answered (or swallowed) the request: the handler does nothing. */
  readonly answered: boolean;
  /** A processed fault that replaces the handler's answer once it has done the work. */
  readonly after?: Fault;
}

/**
 * Picks the request's fault. One that answers is applied now — Midtrans did nothing — unless it is
 * `processed`: then Midtrans does the work and the fault replaces its answer, which is returned in
 * `after` for `finish` to apply.
 */
export async function faultBefore(ctx: SimContext, res: ServerResponse, call: ApiCall): Promise<FaultGate> {
  const fault = ctx.faults.pick(call.path);
  if (!fault) return { answered: false };
  if (fault.processed && ANSWERING.has(fault.kind)) return { answered: false, after: fault };
  return { answered: await applyFault(ctx, fault, res, call) };
}

/** Where a handler writes: the client, or nowhere when a processed fault replaces the answer. */
export function replyTarget(res: ServerResponse, after: Fault | undefined): ServerResponse {
  return after ? discard() : res;
}

export async function finish(ctx: SimContext, res: ServerResponse, call: ApiCall, after: Fault | undefined): Promise<void> {
  if (after) await applyFault(ctx, after, res, call);
}

/** Applies a fault; true when it answered or swallowed the request. */
async function applyFault(ctx: SimContext, fault: Fault, res: ServerResponse, call: ApiCall): Promise<boolean> {
  switch (fault.kind) {
    case 'latency':
      await new Promise((r) => setTimeout(r, fault.latencyMs ?? 1000));
      return false;
    // A request that gets no answer still reached Midtrans: it is logged, as it arrived, so an
    // outage can be measured by what clients kept sending into it.
    case 'no-answer':
      logRequest(ctx.requests, call.req, call.path, 0, undefined, fault.kind);
      setTimeout(() => res.socket?.destroy(), 120_000).unref();
      return true;
    case 'reset':
      logRequest(ctx.requests, call.req, call.path, 0, undefined, fault.kind);
      call.req.socket.destroy();
      return true;
    case 'token-expired':
      ctx.store.tokens.clear();
      return false;
    case 'error-500':
      snapAnswer(ctx, res, call, 500, '01', 'Internal Server Error');
      return true;
    case 'error-504':
      snapAnswer(ctx, res, call, 504, '00', 'Timeout');
      return true;
    case 'in-progress-202':
      snapAnswer(ctx, res, call, 202, '00', 'Request In Progress');
      return true;
    case 'rate-limit-429':
      snapAnswer(ctx, res, call, 429, '00', 'Too Many Requests');
      return true;
  }
}
