// The release artifact as an operator gets it: built by `npm run release`'s script from this working
// tree (once per test run), then extracted into an empty folder outside the repository.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '../../..');

export function rootVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface ExtractedArtifact {
  readonly tarball: string;
  readonly buildMs: number;
  /** The one folder the tarball holds, `paystream-<version>/`. */
  readonly home: string;
  /** What the tarball's top level holds: one entry is expected. */
  readonly topLevel: readonly string[];
  remove(): void;
}

let built: { tarball: string; buildMs: number } | undefined;

/** Runs the release build (the test runs under scripts/run.sh, so this Node is Node 24 and npm is on PATH). */
function buildOnce(): { tarball: string; buildMs: number } {
  if (!built) {
    const started = Date.now();
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/release/build.ts')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    built = { tarball: join(REPO_ROOT, 'dist', `paystream-${rootVersion()}-linux-x64.tar.gz`), buildMs: Date.now() - started };
  }
  return built;
}

export function extractedArtifact(): ExtractedArtifact {
  const { tarball, buildMs } = buildOnce();
  const into = mkdtempSync(join(tmpdir(), 'paystream-release-extract-'));
  if (into.startsWith(`${REPO_ROOT}/`)) throw new Error(`${into} is inside the repository`);
  execFileSync('tar', ['-xzf', tarball, '-C', into]);
  const topLevel = readdirSync(into);
  return {
    tarball,
    buildMs,
    home: join(into, `paystream-${rootVersion()}`),
    topLevel,
    remove: () => rmSync(into, { recursive: true, force: true }),
  };
}

/**
 * An environment whose PATH is an empty folder: no Node.js, no npm, nothing but what the launchers
 * need, which is /bin/sh alone. `nodeFound` says whether `command -v node` succeeds under it.
 */
export function pathWithoutNode(): { env: Record<string, string>; nodeFound: boolean; remove(): void } {
  const empty = mkdtempSync(join(tmpdir(), 'paystream-release-path-'));
  const env = { PATH: empty, HOME: empty, LANG: 'C.UTF-8' };
  let nodeFound = true;
  try {
    execFileSync('/bin/sh', ['-c', 'command -v node'], { env, stdio: 'ignore' });
  } catch {
    nodeFound = false;
  }
  return { env, nodeFound, remove: () => rmSync(empty, { recursive: true, force: true }) };
}
