// The console API's query parameters, read strictly: a time is ISO 8601 with an offset, a limit an
// integer within its bounds, a method one the installation runs. A bad one answers 400 before
// anything is read from Kafka.
import { codes, PaystreamError, type ErrorCode } from '@paystream/core';
import type { ApiAnswer } from '../api-route.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** How far back a time window starts when the request names no `from`. */
export const DEFAULT_WINDOW_DAYS = 30;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const queryInvalid = (name: string, reason: string): PaystreamError =>
  new PaystreamError(codes.PS_ERR_CONSOLE_QUERY_INVALID, { name, reason });

/** An ISO 8601 date-time parameter as epoch ms, or `fallback` when absent. */
export function timeParam(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const ms = ISO.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw queryInvalid(name, 'an ISO 8601 date-time with an offset, e.g. 2026-01-31T00:00:00Z');
  return ms;
}

/** The `from`/`to` window: `from` defaults to DEFAULT_WINDOW_DAYS before now, `to` to now. */
export function windowParams(query: URLSearchParams, now: number): { readonly fromMs: number; readonly toMs: number } {
  const toMs = timeParam(query, 'to', now);
  const fromMs = timeParam(query, 'from', toMs - DEFAULT_WINDOW_DAYS * DAY_MS);
  if (fromMs >= toMs) throw queryInvalid('from', 'it must be before to');
  return { fromMs, toMs };
}

export function limitParam(query: URLSearchParams, fallback: number, max: number): number {
  const text = query.get('limit');
  if (text === null || text === '') return fallback;
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= max)) throw queryInvalid('limit', `a whole number from 1 to ${String(max)}`);
  return n;
}

/** A method parameter: absent, or one of the installation's methods. */
export function methodParam(value: string | null, methods: readonly string[], name = 'method'): string | undefined {
  if (value === null || value === '') return undefined;
  if (!methods.includes(value)) throw queryInvalid(name, `not a method this installation runs (${methods.join(', ')})`);
  return value;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  [codes.PS_ERR_CONSOLE_QUERY_INVALID]: 400,
  [codes.PS_ERR_CONSOLE_ORDER_NOT_FOUND]: 404,
  [codes.PS_ERR_CONSOLE_RECORD_NOT_FOUND]: 404,
};

/** Runs a handler's work, answering its own refusals (400, 404) with their code and message; anything else propagates. */
export async function answering(work: () => Promise<unknown>): Promise<ApiAnswer> {
  try {
    return { status: 200, body: await work() };
  } catch (err) {
    const status = PaystreamError.is(err) ? STATUS[err.code] : undefined;
    if (status === undefined || !PaystreamError.is(err)) throw err;
    return { status, body: { error: { code: err.code, message: err.message } } };
  }
}

export const notFound = {
  order: (orderId: string): PaystreamError => new PaystreamError(codes.PS_ERR_CONSOLE_ORDER_NOT_FOUND, { orderId }),
  record: (topic: string, at: string): PaystreamError => new PaystreamError(codes.PS_ERR_CONSOLE_RECORD_NOT_FOUND, { topic, at }),
};
