// What the client throws: one error class whose code comes from Paystream's error catalogue
// (docs/errors.md), with the class that says how to react and, for invalid input, every problem.
import { clientCatalogue } from './generated/errors.ts';

export type ClientErrorCode = keyof typeof clientCatalogue;
export type ClientErrorClass = (typeof clientCatalogue)[ClientErrorCode]['class'];

/** Every code the client throws, by name: `codes.PS_ERR_CLIENT_…`. */
export const codes = Object.fromEntries(Object.keys(clientCatalogue).map((c) => [c, c])) as { readonly [C in ClientErrorCode]: C };

/** One problem of an invalid command: the path of the field and what is wrong with it. */
export interface InputProblem {
  readonly path: string;
  readonly message: string;
}

export class PaystreamClientError extends Error {
  override readonly name = 'PaystreamClientError';
  readonly code: ClientErrorCode;
  /** invalid: fix the input; retriable: send again; ambiguous: find out by status; fatal: fix the setup. */
  readonly errorClass: ClientErrorClass;
  readonly problems: readonly InputProblem[];

  constructor(
    code: ClientErrorCode,
    params: Readonly<Record<string, string | number>>,
    options: { cause?: unknown; problems?: readonly InputProblem[] } = {},
  ) {
    const template: string = clientCatalogue[code].message;
    super(
      template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole)),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.errorClass = clientCatalogue[code].class;
    this.problems = options.problems ?? [];
  }
}
