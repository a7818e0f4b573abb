// How the end-to-end suite runs a downstream consumer written in another language (docs/consumers/):
// each language says how its toolchain and dependencies are prepared and how the consumer is started;
// all of them take the same arguments and print the same JSON lines, so one test compares them all
// with the TypeScript verifier.
import { spawn } from 'node:child_process';

/** What a consumer prints for each record it reads, one JSON object per line on stdout. */
export type ConsumerLine =
  | {
      readonly partition: number;
      readonly offset: string;
      readonly key: string | null;
      readonly valid: true;
      readonly keyId: string;
      readonly id: string;
      readonly type: string;
      /** Every encrypted field of `data`, by its dotted path inside `data`, decrypted and JSON-parsed. */
      readonly decrypted: Readonly<Record<string, unknown>>;
    }
  | { readonly partition: number; readonly offset: string; readonly key: string | null; readonly valid: false; readonly reason: string };

export interface LanguageConsumer {
  readonly language: 'python' | 'java' | 'go';
  /** Installs what the consumer needs (idempotently, into a cache outside the repository) and builds it. */
  prepare(): Promise<void>;
  /** The process that runs the consumer with the common arguments (see docs/consumers/README.md). */
  command(args: readonly string[]): { readonly file: string; readonly args: readonly string[]; readonly cwd?: string };
  /** Runs the consumer's own unit tests (canonical form, verification, decryption) with its language's runner. */
  unitTests(): Promise<void>;
}

/** The common arguments: where to read, whom to trust, and when to stop. */
export function consumerArgs(opts: {
  brokers: readonly string[];
  topic: string;
  group: string;
  trustFile: string;
  maxEvents: number;
}): string[] {
  return [
    '--brokers',
    opts.brokers.join(','),
    '--topic',
    opts.topic,
    '--group',
    opts.group,
    '--trust',
    opts.trustFile,
    '--max-events',
    String(opts.maxEvents),
  ];
}

/** Runs a consumer to its end and parses what it printed; fails with its stderr when it does not exit 0 in time. */
export function runConsumer(consumer: LanguageConsumer, args: readonly string[], timeoutMs: number): Promise<ConsumerLine[]> {
  const { file, args: argv, cwd } = consumer.command(args);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0)
        reject(new Error(`the ${consumer.language} consumer ended with ${signal ?? `exit code ${String(code)}`}:\n${err.slice(-4000)}`));
      else
        resolve(
          out
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l) as ConsumerLine),
        );
    });
  });
}
