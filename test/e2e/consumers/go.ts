// The Go consumer (docs/consumers/go/): built once per version of its sources into a binary in the
// user's cache, outside the repository; the Go toolchain fetches the pinned Kafka client into its
// own module cache.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { LanguageConsumer } from './language-consumer.ts';

const run = promisify(execFile);

const sourceDir = resolve(import.meta.dirname, '../../../docs/consumers/go');
const cacheDir = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'paystream', 'consumers');

/** What the binary is built from: every non-test Go file, go.mod and go.sum. */
async function sourceHash(): Promise<string> {
  const files = (await readdir(sourceDir))
    .filter((f) => (f.endsWith('.go') && !f.endsWith('_test.go')) || f === 'go.mod' || f === 'go.sum')
    .sort();
  const hash = createHash('sha256');
  for (const f of files)
    hash
      .update(`${f}\0`)
      .update(await readFile(join(sourceDir, f)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** The Go toolchain: GO when set, else `go` on the PATH, else the usual install location. */
function goBinary(): string {
  const given = process.env['GO'];
  if (given) return given;
  const onPath = (process.env['PATH'] ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, 'go')));
  return onPath || !existsSync('/usr/local/go/bin/go') ? 'go' : '/usr/local/go/bin/go';
}

let binary: string | undefined;

async function build(): Promise<string> {
  const target = join(cacheDir, `paystream-results-consumer-${await sourceHash()}`);
  if (existsSync(target)) return target;
  await mkdir(cacheDir, { recursive: true });
  // Built under a name of its own and renamed: a parallel test run never sees half a binary.
  const partial = `${target}.${String(process.pid)}.partial`;
  try {
    await run(goBinary(), ['build', '-mod=readonly', '-trimpath', '-buildvcs=false', '-o', partial, '.'], {
      cwd: sourceDir,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 600_000,
    });
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT' && e.syscall?.startsWith('spawn'))
      throw new Error(`the Go consumer needs the Go toolchain (go 1.26 or later) on the PATH, or GO set to its go binary`, { cause: err });
    throw new Error(`go build of the Go consumer (${sourceDir}) failed:\n${[e.stderr, e.stdout].filter(Boolean).join('\n') || e.message}`, {
      cause: err,
    });
  }
  return target;
}

export const go: LanguageConsumer = {
  language: 'go',
  async prepare() {
    binary = await build();
  },
  command(args) {
    if (!binary) throw new Error('the Go consumer is not built: call prepare() first');
    return { file: binary, args: [...args] };
  },
  async unitTests() {
    await run(goBinary(), ['test', '-mod=readonly', '-count=1', './...'], {
      cwd: sourceDir,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 600_000,
    }).catch((err: unknown) => {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`go test of the Go consumer failed:\n${[e.stdout, e.stderr].filter(Boolean).join('\n')}`, { cause: err });
    });
  },
};
