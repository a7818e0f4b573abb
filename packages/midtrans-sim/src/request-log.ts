// The request log tests and the admin API read: every request Midtrans answered (or swallowed), newest
// last, capped so a long run cannot grow it without bound.
import type { IncomingMessage } from 'node:http';
import type { Fault } from './faults.ts';

export interface RequestLogEntry {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  /** 0 when a fault left the request unanswered (see `fault`). */
  readonly status: number;
  readonly responseCode?: string;
  /** The fault that swallowed the request: `no-answer` or `reset`. */
  readonly fault?: Fault['kind'];
}

const MAX_ENTRIES = 10_000;

export function logRequest(
  requests: RequestLogEntry[],
  req: IncomingMessage,
  path: string,
  status: number,
  code?: string,
  fault?: Fault['kind'],
): void {
  if (requests.length >= MAX_ENTRIES) requests.shift();
  requests.push({
    at: new Date().toISOString(),
    method: req.method ?? '',
    path,
    status,
    ...(code ? { responseCode: code } : {}),
    ...(fault ? { fault } : {}),
  });
}
