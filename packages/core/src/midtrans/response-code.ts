// BI-SNAP responseCode: HTTP status (3) + service code (2) + case code (2), and what each means for
// the caller (Midtrans reference §2.3–§2.5, §9).
import type { ResponseCode } from './facade.ts';

export function parseResponseCode(raw: unknown): ResponseCode | undefined {
  if (typeof raw !== 'string' || !/^\d{7}$/.test(raw)) return undefined;
  return { raw, http: Number(raw.slice(0, 3)), service: raw.slice(3, 5), case: raw.slice(5, 7) };
}

export type AnswerClass = 'ok' | 'ambiguous' | 'retriable' | 'token-invalid' | 'auth' | 'conflict' | 'not-found' | 'invalid' | 'business';

/** Classifies a BI-SNAP answer by its responseCode, falling back to the HTTP status. */
export function classifySnap(httpStatus: number, code: ResponseCode | undefined): AnswerClass {
  const http = code?.http ?? httpStatus;
  const kase = code?.case;
  if (http === 202 || http === 504) return 'ambiguous';
  if (http >= 200 && http < 300) return 'ok';
  if (http === 401) return kase === '01' ? 'token-invalid' : 'auth';
  if (http === 429 || http >= 500) return 'retriable';
  if (http === 409) return 'conflict';
  if (http === 404) return 'not-found';
  if (http === 400) return 'invalid';
  return 'business';
}

/**
 * Core API v2 answers carry their outcome in the body's `status_code` (Midtrans reference §8.5).
 * 201 (pending), 202 (denied) and 407 (expired) are definitive answers the plugin interprets.
 */
export function classifyCore(httpStatus: number, statusCode: string | undefined): AnswerClass {
  const code = statusCode !== undefined && /^\d{3}$/.test(statusCode) ? Number(statusCode) : httpStatus;
  if (code === 200 || code === 201 || code === 202 || code === 407) return 'ok';
  if (code === 401) return 'auth';
  if (code === 406) return 'conflict';
  if (code === 404) return 'not-found';
  if (code === 400 || code === 408 || code === 411 || code === 413) return 'invalid';
  if (code === 429 || code >= 500) return 'retriable';
  return 'business';
}
