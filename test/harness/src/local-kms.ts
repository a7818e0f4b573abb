// A local AWS KMS emulator (nsmithuk/local-kms, built by scripts/install-local-kms.sh) for tests of
// the KMS signer, so they never reach real AWS. Its keys live in a temporary folder that survives a
// kill, so a test can take KMS away and bring it back with the same keys at the same address.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cleanup } from './cleanup.ts';

export interface LocalKms {
  /** `http://127.0.0.1:PORT`. local-kms listens on every interface: it offers no bind address. */
  readonly endpoint: string;
  readonly region: string;
  /** Dummy AWS_REGION and credentials for the SDK's standard chain; the instance metadata lookup off. */
  readonly env: Record<string, string>;
  /** Where the emulator keeps its keys. */
  readonly dataDir: string;
  /** Starts a killed emulator again: same data, same port. */
  restart(): Promise<void>;
  /** Stops the emulator and removes its data. */
  stop(): Promise<void>;
  /** Kills the emulator at once (an outage); its data stays for `restart`. */
  kill(): void;
}

const REGION = 'ap-southeast-3';
const ACCOUNT_ID = '111122223333';
const READY_TIMEOUT_MS = 15_000;
const REPO_ROOT = join(import.meta.dirname, '../../..');

const live = new Set<ChildProcess>();
// Whatever happens to the test process, no emulator outlives it: killed on exit and, where
// util-linux's setpriv exists, by the kernel when the process that started it dies (even by SIGKILL).
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
const SETPRIV = '/usr/bin/setpriv';
const DIE_WITH_PARENT = existsSync(SETPRIV);

let binary: string | undefined;

/** The emulator's binary, built when missing (scripts/install-local-kms.sh: idempotent, serialised by a lock). */
export function ensureLocalKms(): string {
  binary ??= execFileSync('bash', [join(REPO_ROOT, 'scripts/install-local-kms.sh')], { encoding: 'utf8' }).trim();
  return binary;
}

/** True once the emulator answers a KMS call (ListKeys) on `endpoint`. */
async function answers(endpoint: string): Promise<boolean> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
    body: '{}',
    signal: AbortSignal.timeout(1_000),
  }).catch(() => undefined);
  return response?.status === 200;
}

class LocalKmsProcess {
  readonly dataDir: string;
  /** 0 until the first start, which lets the OS pick a free port; kept for restarts. */
  port = 0;
  #child: ChildProcess | undefined;
  #exit: Promise<void> = Promise.resolve();
  #output = '';

  constructor(dataDir: string) {
    this.dataDir = dataDir;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${String(this.port)}`;
  }

  /** Spawns the emulator and waits until it answers; throws with its output if it exits first. */
  async start(): Promise<void> {
    await this.#exit; // a killed emulator has let go of its port and data first
    if (this.#child) throw new Error('local-kms is already running');
    const child = this.#spawn();
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`local-kms exited before it answered: ${this.output()}`);
      if (this.port === 0) this.port = Number(/Local KMS started on \S*:(\d+)/.exec(this.output())?.[1] ?? 0);
      if (this.port !== 0 && (await answers(this.endpoint))) return;
      await sleep(50);
    }
    this.kill();
    throw new Error(`local-kms did not answer at ${this.endpoint} within ${String(READY_TIMEOUT_MS)} ms: ${this.output()}`);
  }

  #spawn(): ChildProcess {
    const env = {
      PATH: process.env['PATH'] ?? '',
      PORT: String(this.port),
      KMS_REGION: REGION,
      KMS_ACCOUNT_ID: ACCOUNT_ID,
      KMS_DATA_PATH: this.dataDir,
      // A path that never exists: no seed file on the machine is ever loaded.
      KMS_SEED_PATH: join(this.dataDir, 'no-seed.yaml'),
    };
    const binary = ensureLocalKms();
    const [command, args] = DIE_WITH_PARENT ? [SETPRIV, ['--pdeathsig', 'KILL', '--', binary]] : [binary, []];
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    this.#output = '';
    live.add(child);
    const collect = (chunk: Buffer): void => void (this.#output = (this.#output + chunk.toString()).slice(-4_000));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    this.#exit = new Promise<void>((done) =>
      child.once('exit', () => {
        live.delete(child);
        if (this.#child === child) this.#child = undefined;
        done();
      }),
    );
    return child;
  }

  /** The emulator's recent output, without colour codes. */
  output(): string {
    // eslint-disable-next-line no-control-regex
    return this.#output.replace(/\u001b\[[0-9;]*m/g, '').trim();
  }

  kill(): void {
    this.#child?.kill('SIGKILL');
  }

  /** Sends SIGTERM (SIGKILL after a second) and waits for the exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child) {
      child.kill('SIGTERM');
      const escalate = setTimeout(() => child.kill('SIGKILL'), 1_000);
      await this.#exit;
      clearTimeout(escalate);
    }
  }
}

/** Starts local-kms on a port the OS picks, with a fresh data folder; stopped by `cleanup` when one is given. */
export async function startLocalKms(options: { readonly cleanup?: Cleanup } = {}): Promise<LocalKms> {
  const dataDir = mkdtempSync(join(tmpdir(), 'paystream-local-kms-'));
  const kms = new LocalKmsProcess(dataDir);
  try {
    await kms.start();
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const stop = async (): Promise<void> => {
    await kms.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  options.cleanup?.add('stop local-kms', stop);
  return {
    endpoint: kms.endpoint,
    region: REGION,
    env: {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'AKIALOCALKMSEMULATOR',
      AWS_SECRET_ACCESS_KEY: 'local-kms-dummy-secret-access-key',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    dataDir,
    restart: () => kms.start(),
    stop,
    kill: () => kms.kill(),
  };
}
