// The keyless Midtrans façade: the only view of Midtrans a payment-method plugin gets. Keys,
// tokens, signatures, sockets, retries and breakers all stay behind it.
import { PaystreamError } from '../errors.ts';
import type { ErrorParams, MidtransErrorCode } from '../error-catalogue/index.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

/** A 7-digit BI-SNAP responseCode split into HTTP status, service code and case code. */
export interface ResponseCode {
  readonly raw: string;
  readonly http: number;
  readonly service: string;
  readonly case: string;
}

export interface SnapCall {
  /** Path only, signed verbatim: no host, no query. */
  readonly path: `/v1.0/${string}`;
  /** Serialised once by core; those exact bytes are signed and sent, also on retries. */
  readonly body: JsonObject;
  /** X-EXTERNAL-ID, derived from the command so that a retry is recognised by Midtrans. */
  readonly externalId: string;
  /** Credential set (merchant account); the default one when absent. */
  readonly merchant?: string;
  readonly timeoutMs?: number;
}

export interface CoreApiCall {
  readonly method: 'GET' | 'POST';
  readonly path: `/v2/${string}`;
  readonly body?: JsonObject;
  /** Idempotency-Key header (charge, refund, direct refund). */
  readonly idempotencyKey?: string;
  readonly merchant?: string;
  readonly timeoutMs?: number;
}

/** Answers Midtrans gave. Business, invalid, conflict and not-found answers are results, not throws. */
export type MidtransOutcome =
  | {
      readonly ok: true;
      readonly httpStatus: number;
      readonly responseCode?: ResponseCode;
      readonly statusCode?: string;
      readonly body: JsonObject;
    }
  | {
      readonly ok: false;
      readonly kind: 'business' | 'invalid' | 'conflict' | 'not-found';
      readonly httpStatus: number;
      readonly responseCode?: ResponseCode;
      readonly statusCode?: string;
      readonly message: string;
      readonly body: JsonObject;
    };

export interface MidtransApi {
  snap(call: SnapCall): Promise<MidtransOutcome>;
  coreApi(call: CoreApiCall): Promise<MidtransOutcome>;
}

/** `key-unavailable`: the merchant's HSM or KMS key cannot sign now; nothing was sent. */
export type MidtransErrorKind = 'retriable' | 'ambiguous' | 'auth' | 'circuit-open' | 'credentials-revoked' | 'key-unavailable';

const MIDTRANS_BRAND = Symbol.for('paystream/MidtransError');

/**
 * A failure of the machinery between us and Midtrans. `outcomeUnknown` means the request may have
 * been processed: resolve it by status inquiry with the same identifiers, never with new ones.
 */
export class MidtransError<C extends MidtransErrorCode = MidtransErrorCode> extends PaystreamError<C> {
  readonly kind: MidtransErrorKind;
  readonly outcomeUnknown: boolean;
  readonly httpStatus: number | undefined;
  readonly responseCode: string | undefined;
  readonly [MIDTRANS_BRAND] = true;

  constructor(
    kind: MidtransErrorKind,
    code: C,
    params: ErrorParams<C>,
    details: {
      readonly outcomeUnknown?: boolean;
      readonly httpStatus?: number;
      readonly responseCode?: string;
      readonly cause?: unknown;
    } = {},
  ) {
    super(code, params, { cause: details.cause });
    this.name = 'MidtransError';
    this.kind = kind;
    this.outcomeUnknown = details.outcomeUnknown ?? kind === 'ambiguous';
    this.httpStatus = details.httpStatus;
    this.responseCode = details.responseCode;
  }

  static override is(value: unknown): value is MidtransError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MIDTRANS_BRAND] === true;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      kind: this.kind,
      outcomeUnknown: this.outcomeUnknown,
      httpStatus: this.httpStatus,
      responseCode: this.responseCode,
    };
  }
}
