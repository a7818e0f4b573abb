// `paystream` run as an operator runs it, for the tests that drive the CLI: one runner (exit status
// and everything printed), and the merchant key made by `keys generate` in a file, an HSM or KMS.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKER_NODE_FLAGS } from '@paystream/worker';
import { PAYSTREAM_CLI } from './workers.ts';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The flags that point an operator command at a running system: its simulator, brokers, topic prefix and plugins. */
export function systemCliFlags(
  system: {
    readonly simulator: { readonly descriptorPath: string };
    readonly names: { readonly prefix: string };
    readonly methods: readonly string[];
  },
  brokers: readonly string[],
): string[] {
  return [
    '--simulator',
    system.simulator.descriptorPath,
    '--brokers',
    brokers.join(','),
    '--topic-prefix',
    system.names.prefix,
    '--plugins',
    system.methods.join(','),
  ];
}

/** Runs `paystream ARGS` with the worker's Node flags and `env` over the test's environment. */
export function runPaystream(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, PAYSTREAM_CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

/** What `keys generate --json` made: the key (or key reference) file and the public key to register. */
export interface GeneratedKey {
  readonly publicKeyPem: string;
  readonly fingerprint: string;
  /** The key reference file (HSM, KMS) or the private key file. */
  readonly keyFile: string;
}

/** `paystream keys generate --out TMP ARGS --json`; throws with its output when it fails. */
export async function generateMerchantKey(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<GeneratedKey> {
  const out = mkdtempSync(join(tmpdir(), 'paystream-key-'));
  const ran = await runPaystream(['keys', 'generate', '--out', out, ...args, '--json'], env);
  if (ran.code !== 0) throw new Error(`keys generate exited ${String(ran.code)}: ${ran.stderr}`);
  const printed = JSON.parse(ran.stdout) as Record<string, string | undefined>;
  const keyFile = printed['keyReference'] ?? printed['privateKey'];
  const fingerprint = printed['fingerprint'];
  if (keyFile === undefined || fingerprint === undefined) throw new Error(`keys generate printed ${ran.stdout}`);
  return { keyFile, fingerprint, publicKeyPem: printed['publicKeyPem'] ?? readFileSync(printed['publicKey'] ?? '', 'utf8') };
}
