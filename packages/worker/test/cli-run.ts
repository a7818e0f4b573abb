// The CLI run as an operator runs it (`node …/main.ts`), at trace level so that every line a secret
// could leak into is written: its exit status and stdout and stderr together.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const main = join(import.meta.dirname, '../src/cli/main.ts');

export interface CliResult {
  readonly code: number;
  readonly output: string;
}

export async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const options = { env: { ...process.env, PAYSTREAM_LOG_LEVEL: 'trace', ...env }, timeout: 60_000, killSignal: 'SIGKILL' as const };
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args], options);
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}
