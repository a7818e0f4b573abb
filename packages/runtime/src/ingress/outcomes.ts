// What the ingress answers when it turns a request away, and the closed set of outcomes it reports
// (the worker's `paystream_notifications_total{outcome}` label).
import type { Answer } from './replay-window.ts';

/** Every outcome the ingress reports: a closed set, fit for a metric label. */
export const INGRESS_OUTCOMES = [
  'published',
  'duplicate',
  'rejected',
  'stale',
  'malformed',
  'too-large',
  'rate-limited',
  'not-found',
  'unknown-order',
  'handed-over',
  'handover-failed',
  'retired-order',
  'inquiry-failed',
  'amount-mismatch',
] as const;
export type IngressOutcome = (typeof INGRESS_OUTCOMES)[number];

export interface IngressEvent {
  /** A notify path the plugins serve, or `other`: never the path a client sent. */
  readonly path: string;
  readonly outcome: IngressOutcome;
  /** Why, in the verifier's or the ingress' own words (never input). */
  readonly reason?: string;
  readonly orderId?: string;
  /** The payment status published. */
  readonly status?: string;
  /** Bytes read from the connection of a refused oversized request. */
  readonly bytesRead?: number;
}

export const answers = {
  notFound: { status: 404, body: { responseCode: '4040000', responseMessage: 'Not Found' } },
  unauthorized: { status: 401, body: { responseCode: '4010000', responseMessage: 'Unauthorized. Signature' } },
  stale: { status: 401, body: { responseCode: '4010000', responseMessage: 'Unauthorized. X-TIMESTAMP outside the accepted window' } },
  tooLarge: { status: 413, body: { responseCode: '4130000', responseMessage: 'Payload Too Large' } },
  tooMany: { status: 429, body: { responseCode: '4290000', responseMessage: 'Too Many Requests' } },
  internal: { status: 500, body: { responseCode: '5000000', responseMessage: 'Internal Server Error' } },
} as const satisfies Record<string, Answer>;
