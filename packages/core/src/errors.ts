// Coded errors recognised by brand, not instanceof, so checks survive duplicate package copies.
// Messages are written for the operator and never carry secret material.
const BRAND = Symbol.for('paystream/PaystreamError');

export type ErrorClass = 'invalid' | 'retriable' | 'ambiguous' | 'fatal';

export class PaystreamError extends Error {
  readonly code: string;
  readonly errorClass: ErrorClass;
  readonly [BRAND] = true;

  constructor(code: string, message: string, errorClass: ErrorClass = 'fatal', options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaystreamError';
    this.code = code;
    this.errorClass = errorClass;
  }

  static is(value: unknown): value is PaystreamError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, class: this.errorClass, message: this.message };
  }
}

/** Key material that cannot be used: wrong format, too short, revoked. */
export class KeyError extends PaystreamError {
  constructor(code: `PS_ERR_KEY_${string}`, message: string) {
    super(code, message, 'fatal');
    this.name = 'KeyError';
  }
}

/** Configuration refused at start-up; the message names every bad field, never its value. */
export class ConfigError extends PaystreamError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('PS_ERR_CONFIG_INVALID', `Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`, 'fatal');
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
