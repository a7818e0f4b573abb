// The Python consumer (docs/consumers/python/): its pinned requirements installed with pip into a
// virtual environment in the user's cache, outside the repository, one per version of
// requirements.txt and Python interpreter; the consumer itself runs from its folder.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { LanguageConsumer } from './language-consumer.ts';

const run = promisify(execFile);

const sourceDir = resolve(import.meta.dirname, '../../../docs/consumers/python');
const requirements = join(sourceDir, 'requirements.txt');
const cacheDir = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'paystream', 'consumers');
/** Written last into a virtual environment: one without it was never completed. */
const COMPLETE = '.paystream-complete';

/** The interpreter the environment is made from: PYTHON when set, else `python3` on the PATH. */
const pythonBinary = (): string => process.env['PYTHON'] ?? 'python3';

const venvPython = (venv: string): string =>
  process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');

type RunError = NodeJS.ErrnoException & { stdout?: string; stderr?: string };

/** Runs one step of the installation; fails with the step's own output. */
async function step(what: string, file: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(file, args, { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
    return stdout;
  } catch (err) {
    const e = err as RunError;
    // ENOENT: the interpreter itself is missing (a run that failed has a numeric exit code).
    if (e.code === 'ENOENT')
      throw new Error(`the Python consumer needs Python 3.11 or later: python3 on the PATH, or PYTHON set to its interpreter`, {
        cause: err,
      });
    const output = [e.stdout, e.stderr].filter(Boolean).join('\n') || e.message;
    throw new Error(`${what} for the Python consumer (${sourceDir}) failed:\n${output.slice(-8000)}`, { cause: err });
  }
}

/** The environment's folder: named by requirements.txt and the interpreter it is made from. */
async function venvDir(python: string): Promise<string> {
  const identity = await step('asking the Python interpreter its version', python, [
    '-c',
    'import sys; print(sys.version); print(sys.executable)',
  ]);
  const hash = createHash('sha256')
    .update(await readFile(requirements))
    .update('\0')
    .update(identity)
    .digest('hex')
    .slice(0, 16);
  return join(cacheDir, `python-${hash}`);
}

let venv: string | undefined;

async function install(): Promise<string> {
  const python = pythonBinary();
  const target = await venvDir(python);
  if (existsSync(join(target, COMPLETE))) return target;
  await mkdir(cacheDir, { recursive: true });
  // Made under a name of its own and renamed: a parallel test run never uses half an environment.
  const partial = `${target}.${String(process.pid)}.partial`;
  await rm(partial, { recursive: true, force: true });
  try {
    await step('python -m venv', python, ['-m', 'venv', partial]);
    const pip = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--only-binary', ':all:', '-r', requirements];
    await step('pip install -r requirements.txt', venvPython(partial), pip);
    await step('importing the installed requirements', venvPython(partial), ['-c', 'import confluent_kafka, cryptography']);
    await writeFile(join(partial, COMPLETE), `${requirements}\n`);
    if (existsSync(join(target, COMPLETE))) return target; // another run finished first
    await rm(target, { recursive: true, force: true }); // an environment left incomplete
    await rename(partial, target).catch((err: unknown) => {
      if (!existsSync(join(target, COMPLETE))) throw err; // else another run renamed its own first
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return target;
}

export const python: LanguageConsumer = {
  language: 'python',
  async prepare() {
    venv = await install();
  },
  command(args) {
    if (!venv) throw new Error('the Python consumer is not installed: call prepare() first');
    // -B: no bytecode files written beside the sources in the repository.
    return { file: venvPython(venv), args: ['-B', join(sourceDir, 'paystream_consumer.py'), ...args], cwd: sourceDir };
  },
  async unitTests() {
    venv ??= await install();
    await step('python -m unittest', venvPython(venv), ['-B', '-m', 'unittest', 'discover', '-s', sourceDir, '-p', 'test_*.py']);
  },
};
