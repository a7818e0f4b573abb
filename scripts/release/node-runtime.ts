// The Node.js the artifact ships: the version of scripts/node-version, from the npm registry's `node`
// package exactly as scripts/run.sh provisions it — its binary in .local/node when that one is
// already there at the right version, else installed the same way into the build's own folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_BIN = 'node_modules/node/bin/node';

function versionOf(nodeBin: string): string | undefined {
  if (!existsSync(nodeBin)) return undefined;
  try {
    return execFileSync(nodeBin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export function wantedNodeVersion(root: string): string {
  return readFileSync(join(root, 'scripts/node-version'), 'utf8').trim();
}

/** The registry's Node.js binary at the wanted version: run.sh's, or a fresh install under `work`. */
export function registryNode(root: string, work: string): string {
  const version = wantedNodeVersion(root);
  const provisioned = join(root, '.local/node', PACKAGE_BIN);
  if (versionOf(provisioned) === version) return provisioned;
  const prefix = join(work, 'node-package');
  mkdirSync(prefix, { recursive: true });
  const npm = spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${version}`],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const installed = join(prefix, PACKAGE_BIN);
  if (npm.status !== 0 || versionOf(installed) !== version) throw new Error(`could not install node@${version} from the registry`);
  return installed;
}

/** Copies the binary to `node/bin/node` in the artifact. */
export function bundleNode(nodeBin: string, stage: string): void {
  const target = join(stage, 'node/bin/node');
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(nodeBin, target);
  chmodSync(target, 0o755);
}
