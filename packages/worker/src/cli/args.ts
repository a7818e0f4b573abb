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
    throw new UsageError(`${(err as Error).message}\n\n${cmd.usage}`);
  }
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
