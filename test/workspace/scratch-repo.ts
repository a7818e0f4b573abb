// A fresh clone of the repository to follow a walk-through in: the tree as committed, with this
// checkout's dependencies, committed in a git repository of its own so that `git status` says what the
// walk-through changed. Commands run in it with this checkout's Node and the copy's own scripts and tools.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export const repo = join(import.meta.dirname, '../..');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  /** stdout and stderr as they came. */
  readonly output: string;
}

export interface ScratchRepo {
  readonly dir: string;
  /** Runs a shell script in the copy, as a terminal at its root would. */
  sh(script: string, cwd?: string, timeoutMs?: number): Promise<Run>;
  /** Paths changed or gained since the copy was committed. */
  changedPaths(): Promise<string[]>;
  /** Records the installed dependencies as matching the lockfile, as scripts/run.sh does after an install. */
  stampInstall(): Promise<void>;
  remove(): void;
}

/** This Node first, and none of the variables of the nx, npm or vitest running the caller. */
function scratchEnv(dir: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !/^(nx_|npm_|vitest|vite_|init_cwd$|node_env$|force_color$)/i.test(key));
  return {
    ...Object.fromEntries(inherited),
    PATH: [dirname(process.execPath), join(dir, 'node_modules/.bin'), process.env['PATH'] ?? ''].join(delimiter),
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NO_COLOR: '1',
    // Everything a generated plugin needs is installed already: npm must link it, not download.
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

function spawnRun(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((done) => {
    // A group of its own, so that a command over its time is stopped with everything it started.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let output = '';
    const timer = setTimeout(() => {
      output += `\n[stopped after ${String(timeoutMs / 1000)} s]`;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? 1, stdout, output });
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      done({ code: 1, stdout, output: String(err) });
    });
  });
}

async function checked(r: Promise<Run>, what: string): Promise<string> {
  const done = await r;
  if (done.code !== 0) throw new Error(`${what}: ${done.output}`);
  return done.stdout;
}

/**
 * Copies HEAD (`git archive`) into a temporary folder, with dependencies as hard links to this
 * checkout's (a copy where links cannot be made), leaving out npm's and the test runners' bookkeeping
 * files, which the copy's own tools then write afresh instead of through a link; stamps the install as
 * fresh, and commits the copy. `env` is added to every command's environment.
 */
export async function scratchRepo(prefix: string, env: NodeJS.ProcessEnv = {}): Promise<ScratchRepo> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const environment = scratchEnv(dir, env);
  const exec = (command: string, args: readonly string[], cwd = dir, timeoutMs = 120_000): Promise<Run> =>
    spawnRun(command, args, cwd, environment, timeoutMs);
  const scratch: ScratchRepo = {
    dir,
    sh: (script, cwd = dir, timeoutMs = 120_000) => exec('bash', ['-c', script], cwd, timeoutMs),
    changedPaths: async () =>
      (await checked(exec('git', ['status', '--porcelain', '--untracked-files=all']), 'git status'))
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(3)),
    // The same digest as scripts/run.sh's lock_hash.
    stampInstall: () =>
      checked(
        exec('bash', [
          '-c',
          "cat package-lock.json scripts/patch-dependencies.mjs scripts/patches/*/* 2>/dev/null | sha256sum | cut -d' ' -f1 > node_modules/.paystream-lock-hash",
        ]),
        'stamping the install',
      ).then(() => undefined),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  try {
    const archive = join(dir, '.head.tar');
    await checked(exec('git', ['archive', '--format=tar', `--output=${archive}`, 'HEAD'], repo), 'git archive');
    await checked(exec('tar', ['-x', '-f', archive, '-C', dir]), 'tar');
    rmSync(archive);
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    const entries = readdirSync(join(repo, 'node_modules')).filter((e) => !/^\.(vite|package-lock\.json$|paystream-lock-hash$)/.test(e));
    const links = await exec('cp', ['-al', ...entries.map((e) => join(repo, 'node_modules', e)), modules]);
    if (links.code !== 0)
      for (const e of entries)
        cpSync(join(repo, 'node_modules', e), join(modules, e), { recursive: true, verbatimSymlinks: true, force: true });
    await scratch.stampInstall();
    const identity = ['-c', 'user.name=scratch', '-c', 'user.email=scratch@example.com', '-c', 'commit.gpgsign=false'];
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
      [...identity, 'commit', '-q', '-m', 'a fresh clone'],
    ])
      await checked(exec('git', args), `git ${args.join(' ')}`);
  } catch (err) {
    scratch.remove();
    throw err;
  }
  return scratch;
}
