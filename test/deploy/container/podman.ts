// Podman as the image is built and run on this machine: always through infra/container/podman.sh
// (runc, cgroupfs, the repository's containers.conf), installed by scripts/install-podman.sh when
// it is missing.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '../../..');
const PODMAN = join(REPO, 'infra/container/podman.sh');

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end and returns its exit status; throws only when it could not run or timed out. */
export function runProgram(file: string, args: readonly string[], timeoutMs = 120_000): Promise<Ran> {
  return new Promise((done, fail) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        fail(new Error(`${file} ${args.join(' ')} did not complete: ${err.message}\n${stderr}`));
        return;
      }
      done({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}

/** A podman command's status and output, whatever its status. */
export function podmanRan(args: readonly string[], timeoutMs?: number): Promise<Ran> {
  return runProgram(PODMAN, args, timeoutMs);
}

/** A podman command's standard output, trimmed; throws with its error output unless it exits 0. */
export async function podman(args: readonly string[], timeoutMs?: number): Promise<string> {
  const ran = await podmanRan(args, timeoutMs);
  if (ran.code !== 0) throw new Error(`podman ${args.join(' ')} exited ${String(ran.code)}: ${ran.stderr.trim()}`);
  return ran.stdout.trim();
}

/** Installs Podman, runc and tini from Debian's packages unless they are there already. */
export async function ensurePodman(): Promise<void> {
  const ran = await runProgram('bash', [join(REPO, 'scripts/install-podman.sh')], 900_000);
  if (ran.code !== 0) throw new Error(`scripts/install-podman.sh exited ${String(ran.code)}: ${ran.stderr.trim()}`);
}
