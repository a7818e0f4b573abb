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
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...cmd.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (err) {
    throw new UsageError(`${unparsable(err as Error & { code?: string }, cmd.options, argv)}\n\n${cmd.usage}`);
  }
}

/** Says what is wrong with the arguments without repeating one back: an operator may paste a secret. */
function unparsable(err: Error & { code?: string }, options: ParseArgsOptionsConfig, argv: readonly string[]): string {
  // Node's message for a wrong option value names only the option as this command defines it.
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return err.message;
  const at = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOptionAt(options, argv) : -1;
  const which = at >= 0 ? `argument ${at + 1}` : 'an argument';
  return `${which} is not an option of this command (arguments are not repeated back: they may be secrets); a value that starts with "-" goes after "--"`;
}

function unknownOptionAt(options: ParseArgsOptionsConfig, argv: readonly string[]): number {
  const longs = new Set([...Object.keys(options), 'json', 'help']);
  const shorts = new Set([...Object.values(options).map((o) => o.short), 'h']);
  const end = argv.indexOf('--');
  return argv.findIndex((arg, i) => {
    if ((end >= 0 && i >= end) || !arg.startsWith('-') || arg === '-') return false;
    if (arg.startsWith('--')) return !longs.has(arg.slice(2).split('=')[0] ?? '');
    return arg
      .slice(1)
      .split('')
      .some((c) => !shorts.has(c));
  });
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
