// The shape of one catalogue row and the typed filling of its message template: a `{name}` in the
// template is a parameter the thrower must give, checked by the compiler.

/** How a caller should react: fix the input, try later, resolve by status inquiry, or fix the installation. */
export type ErrorClass = 'invalid' | 'retriable' | 'ambiguous' | 'fatal';

/**
 * The CLI's exit status when the error ends a command (sysexits.h): 65 bad input data, 69 a service
 * unavailable, 73 cannot create, 75 try again later, 77 permission denied, 78 configuration or key
 * material to fix.
 */
export type ExitStatus = 65 | 69 | 73 | 75 | 77 | 78;

export interface ErrorEntry {
  readonly class: ErrorClass;
  readonly exit: ExitStatus;
  /** What the error says, with `{name}` placeholders filled by the thrower; never a secret or card number. */
  readonly message: string;
  /** The documentation's explanation (docs/errors.md is checked against it). */
  readonly meaning: string;
}

type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The values a template needs, one per placeholder; an empty object when it has none. */
export type TemplateParams<T extends string> = { readonly [K in Placeholders<T>]: string | number };

/** The template with each `{name}` replaced by its value. */
export function fillTemplate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
