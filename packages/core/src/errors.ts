// Coded errors recognised by brand, not instanceof, so checks survive duplicate package copies.
// Code, class, exit status and message all come from the catalogue (error-catalogue/); a thrower
// supplies only the values of the message's placeholders, which never carry secret material.
import { codes, errorCatalogue, errorMessage, type ErrorCode, type ErrorParams, type KeyErrorCode } from './error-catalogue/index.ts';
import type { ErrorClass, ExitStatus } from './error-catalogue/entry.ts';

export type { ErrorClass, ExitStatus } from './error-catalogue/entry.ts';

const BRAND = Symbol.for('paystream/PaystreamError');

export class PaystreamError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly errorClass: ErrorClass;
  /** The CLI's exit status when this error ends a command. */
  readonly exitStatus: ExitStatus;
  readonly [BRAND] = true;

  constructor(code: C, params: ErrorParams<C>, options?: ErrorOptions) {
    super(errorMessage(code, params), options);
    this.name = 'PaystreamError';
    this.code = code;
    this.errorClass = errorCatalogue[code].class;
    this.exitStatus = errorCatalogue[code].exit;
  }

  static is(value: unknown): value is PaystreamError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, class: this.errorClass, message: this.message };
  }
}

/** The error of `code`, its message filled from `params`. */
export function createError<C extends ErrorCode>(code: C, params: ErrorParams<C>, options?: ErrorOptions): PaystreamError<C> {
  return new PaystreamError(code, params, options);
}

/** Key material that cannot be used: wrong format, too short, revoked. */
export class KeyError<C extends KeyErrorCode = KeyErrorCode> extends PaystreamError<C> {
  constructor(code: C, params: ErrorParams<C>) {
    super(code, params);
    this.name = 'KeyError';
  }
}

/** Configuration refused at start-up; the message names every bad field, never its value. */
export class ConfigError extends PaystreamError<typeof codes.PS_ERR_CONFIG_INVALID> {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(codes.PS_ERR_CONFIG_INVALID, { issues: issues.map((i) => `  - ${i}`).join('\n') });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
