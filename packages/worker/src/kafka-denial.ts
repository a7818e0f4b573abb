// A request the cluster's authorizer refused, as a `paystream` command (and /readyz) reports it: the broker's error
// type (TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, …) in the catalogue's words and exit
// status, instead of a kafkajs error object and its stack.
import { codes, createError, type PaystreamError } from '@paystream/core';

/** kafkajs keeps the broker's error type in `type`, on the error or one of its causes. */
function brokerErrorType(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e !== null && typeof e === 'object'; depth++) {
    const { type, cause, originalError } = e as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof type === 'string' && /^[A-Z_]{1,64}_AUTHORIZATION_FAILED$/.test(type)) return type;
    e = cause ?? originalError;
  }
  return undefined;
}

/** The catalogue's error for an authorization refusal; undefined for any other error. */
export function kafkaDenial(err: unknown): PaystreamError | undefined {
  const type = brokerErrorType(err);
  return type === undefined ? undefined : createError(codes.PS_ERR_KAFKA_NOT_AUTHORIZED, { type }, { cause: err });
}
