// The Java consumer of docs/consumers/java/: built with Maven into a cache outside the repository,
// once per content of its sources, and run as `java -jar`.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import type { LanguageConsumer } from './language-consumer.ts';

const project = join(import.meta.dirname, '../../../docs/consumers/java');
const jarName = 'paystream-results-consumer.jar';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** What the jar is built from: pom.xml and everything under src/, by path and content. */
function sourceHash(): string {
  const h = createHash('sha256');
  for (const file of [join(project, 'pom.xml'), ...files(join(project, 'src'))]) {
    h.update(relative(project, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function cacheDir(): string {
  return join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'paystream', 'consumers');
}

let jar: string | undefined;
function jarPath(): string {
  jar ??= join(cacheDir(), `java-${sourceHash()}`, jarName);
  return jar;
}

/** Runs Maven in batch mode without stdin; fails with the tail of its output. */
function maven(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', ['-B', ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new Error('Maven (mvn) is not installed or not on PATH: it builds the Java consumer (docs/consumers/java/).')
          : err,
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const tail = output.trim().split('\n').slice(-30).join('\n');
        reject(new Error(`Maven could not build the Java consumer (${signal ?? `exit code ${String(code)}`}):\n${tail}`));
      }
    });
  });
}

export const java: LanguageConsumer = {
  language: 'java',

  async prepare() {
    const target = jarPath();
    if (existsSync(target)) return;
    // Each build gets its own folder and the jar is renamed into place: builds running side by side
    // never see each other's half-written files.
    const build = join(cacheDir(), `java-build-${String(process.pid)}-${randomBytes(4).toString('hex')}`);
    try {
      await maven(['-q', '-f', join(project, 'pom.xml'), `-DbuildDirectory=${build}`, '-DskipTests', 'package']);
      const built = join(build, jarName);
      if (!existsSync(built)) throw new Error(`Maven finished but wrote no ${jarName} into ${build}.`);
      mkdirSync(join(target, '..'), { recursive: true });
      renameSync(built, target);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  },

  command(args) {
    const target = jarPath();
    if (!existsSync(target)) throw new Error(`The Java consumer is not built (${target}): call prepare() first.`);
    return { file: 'java', args: ['-jar', target, ...args] };
  },

  async unitTests() {
    const build = join(cacheDir(), `java-test-${String(process.pid)}-${randomBytes(4).toString('hex')}`);
    try {
      await maven(['-q', '-f', join(project, 'pom.xml'), `-DbuildDirectory=${build}`, 'test']);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  },
};
