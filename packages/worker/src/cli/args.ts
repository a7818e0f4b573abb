// Small helpers shared by the CLI commands: option parsing with clear errors, and output that is
// human-readable by default and JSON with --json.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Command {
  /** Words after `paystream`, e.g. ['keys', 'generate']. */
  readonly words: readonly string[];
  readonly summary: string;
  readonly usage: string;
  readonly options: ParseArgsOptionsConfig;
  /** Returns the exit code. */
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number> | number;
}

export function parse(
  cmd: Command,
  argv: string[],
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  const options = { ...cmd.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } satisfies ParseArgsOptionsConfig;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (err) {
    throw new UsageError(`${unparsable(err as Error & { code?: string }, options, argv)}\n\n${cmd.usage}`);
  }
}

/** Says what is wrong with the arguments without repeating one back: an operator may paste a secret. */
function unparsable(err: Error & { code?: string }, options: ParseArgsOptionsConfig, argv: string[]): string {
  // Node's message for a wrong option value names only the option as this command defines it.
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return err.message;
  const at = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOptionAt(options, argv) : -1;
  const which = at >= 0 ? `argument ${at + 1}` : 'an argument';
  return `${which} is not an option of this command (arguments are not repeated back: they may be secrets); a value that starts with "-" goes after "--"`;
}

/** Where the first option `options` lacks is: parseArgs' own tokens, read without `strict`. */
function unknownOptionAt(options: ParseArgsOptionsConfig, argv: string[]): number {
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  return tokens.find((t) => t.kind === 'option' && !Object.hasOwn(options, t.name))?.index ?? -1;
}

export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} from ${path}`);
  }
}

/** Prints `data` as JSON with --json, else as aligned "key: value" lines. */
export function output(values: Record<string, unknown>, data: Record<string, unknown>): void {
  if (values['json'] === true) {
    console.log(JSON.stringify(data, null, 2));
    return;
  }
  const width = Math.max(...Object.keys(data).map((k) => k.length));
  for (const [k, v] of Object.entries(data)) console.log(`${k.padEnd(width)}  ${typeof v === 'string' ? v : JSON.stringify(v)}`);
}
