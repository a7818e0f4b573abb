// The error catalogue: every code Paystream raises or refuses with, its class, its CLI exit status
// and its message template, in one table assembled from the areas' parts. No code exists elsewhere
// (test/workspace/errors.spec.ts forbids the literal outside this folder and checks docs/errors.md).
import { aclErrors } from './acls.ts';
import { clientErrors } from './client.ts';
import { commandRefusals } from './commands.ts';
import { configAndKeyErrors } from './config-and-keys.ts';
import { consoleDataErrors } from './console-data.ts';
import { consoleErrors } from './console.ts';
import { eventErrors } from './events.ts';
import { fillTemplate, type ErrorEntry, type TemplateParams } from './entry.ts';
import { kafkaErrors } from './kafka.ts';
import { midtransErrors } from './midtrans.ts';
import { operationErrors } from './operations.ts';
import { pluginErrors } from './plugins.ts';
import { reconcileErrors } from './reconcile.ts';
import { stateErrors } from './state.ts';

export type { ErrorClass, ErrorEntry, ExitStatus } from './entry.ts';

export const errorCatalogue = {
  ...configAndKeyErrors,
  ...midtransErrors,
  ...pluginErrors,
  ...commandRefusals,
  ...operationErrors,
  ...kafkaErrors,
  ...aclErrors,
  ...stateErrors,
  ...clientErrors,
  ...eventErrors,
  ...reconcileErrors,
  ...consoleDataErrors,
  ...consoleErrors,
} as const satisfies Record<string, ErrorEntry>;

type Catalogue = typeof errorCatalogue;
export type ErrorCode = keyof Catalogue;
export type KeyErrorCode = keyof typeof configAndKeyErrors;
export type MidtransErrorCode = keyof typeof midtransErrors;
export type PluginErrorCode = keyof typeof pluginErrors;
export type RefusalCode = keyof typeof commandRefusals;
export type ClientErrorCode = keyof typeof clientErrors;

/** What the message template of `code` needs. */
export type ErrorParams<C extends ErrorCode> = TemplateParams<Catalogue[C]['message']>;

/** Every code, each once: `codes.PS_ERR_…` is the way to name one outside this folder. */
export const codes = Object.fromEntries(Object.keys(errorCatalogue).map((c) => [c, c])) as { readonly [C in ErrorCode]: C };

/** The closed set of reasons a command is refused (the DLQ's codes). */
export const REFUSAL_CODES = Object.keys(commandRefusals) as readonly RefusalCode[];

/** What @paystream/client throws (scripts/generate-client.ts copies these rows into it). */
export const CLIENT_ERROR_CODES = Object.keys(clientErrors) as readonly ClientErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}

export function errorEntry(code: ErrorCode): ErrorEntry {
  return errorCatalogue[code];
}

/** The message of `code` with its placeholders filled. */
export function errorMessage<C extends ErrorCode>(code: C, params: ErrorParams<C>): string {
  return fillTemplate(errorCatalogue[code].message, params);
}
