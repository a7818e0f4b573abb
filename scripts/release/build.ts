// `npm run release`: builds dist/paystream-<version>-linux-x64.tar.gz, one folder paystream-<version>/
// that runs the worker and the simulator on a linux-x64 machine with no Node.js, npm or repository
// (docs/release.md, docs/adr/0013-release-artifact.md). Staged in a temporary folder, packed into a
// temporary file and renamed, so a failed or concurrent build never leaves a half-made artifact.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cyclonedxSbom, shippedComponents, type Lockfile, type Sbom } from './sbom.ts';
import { bundleNode, registryNode } from './node-runtime.ts';
import { checkKafkaFixes, checkWorkspaceLinks, installProduction, pruneStage, stageSources } from './stage.ts';

const root = join(import.meta.dirname, '../..');
const LAUNCHERS = ['paystream', 'paystream-sim'];

interface RootManifest {
  readonly name: string;
  readonly version?: string;
  readonly description?: string;
  readonly engines?: unknown;
}

/** The commit's time, so that the same commit gives the same timestamps; now outside a git checkout. */
function commitTime(): Date {
  const git = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' });
  const seconds = Number(git.stdout.trim());
  return git.status === 0 && seconds > 0 ? new Date(seconds * 1000) : new Date();
}

function writeLaunchers(stage: string): void {
  mkdirSync(join(stage, 'bin'), { recursive: true });
  for (const name of LAUNCHERS) {
    copyFileSync(join(root, 'scripts/release/launchers', name), join(stage, 'bin', name));
    chmodSync(join(stage, 'bin', name), 0o755);
  }
}

/** The root manifest as the artifact carries it: where the code reads the version, without the workspace's tooling. */
function writeManifest(stage: string, manifest: RootManifest, version: string): void {
  const { name, description, engines } = manifest;
  const shipped = { name, version, private: true, type: 'module', description, engines };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(shipped, null, 2)}\n`);
  writeFileSync(join(stage, 'VERSION'), `${version}\n`);
}

/** The SBOM from package-lock.json, checked against what npm installed (its own record, node_modules/.package-lock.json). */
function writeSbom(stage: string, version: string, built: Date): Sbom {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  const sbom = cyclonedxSbom(lock, { name: 'paystream', version, timestamp: built.toISOString() });
  const installed = JSON.parse(readFileSync(join(stage, 'node_modules/.package-lock.json'), 'utf8')) as Lockfile;
  const held = new Set(shippedComponents(installed).map((c) => c.purl));
  const listed = new Set(sbom.components.map((c) => c.purl));
  const unlisted = [...held].filter((p) => !listed.has(p));
  const missing = [...listed].filter((p) => !held.has(p));
  if (unlisted.length + missing.length > 0)
    throw new Error(
      `the SBOM and the install differ: not listed ${unlisted.join(', ') || '-'}; not installed ${missing.join(', ') || '-'}`,
    );
  writeFileSync(join(stage, 'sbom.cdx.json'), `${JSON.stringify(sbom, null, 2)}\n`);
  return sbom;
}

/** What an operator's first command checks: the staged launcher, with nothing on PATH, prints the version. */
function checkLauncher(stage: string, version: string): void {
  const printed = execFileSync(join(stage, 'bin/paystream'), ['--version'], { cwd: tmpdir(), env: { PATH: '' }, encoding: 'utf8' });
  if (printed.trim() !== version) throw new Error(`the staged bin/paystream --version printed "${printed.trim()}", not ${version}`);
}

function pack(work: string, folder: string, output: string, built: Date): void {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const partial = `${output}.${String(process.pid)}.partial`;
  const mtime = `@${String(Math.floor(built.getTime() / 1000))}`;
  const tarArgs = ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=${mtime}`, '-C', work, '-cf', '-', folder];
  const tar = spawnSync('sh', ['-c', 'tar "$@" | gzip -n > "$0"', partial, ...tarArgs], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (tar.status !== 0) throw new Error(`tar failed (exit ${String(tar.status)})`);
  renameSync(partial, output);
}

function build(): string {
  const started = Date.now();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as RootManifest;
  const version = manifest.version;
  if (!version) throw new Error('the root package.json has no version');
  const folder = `paystream-${version}`;
  const output = join(root, 'dist', `${folder}-linux-x64.tar.gz`);
  const built = commitTime();
  const work = mkdtempSync(join(tmpdir(), 'paystream-release-'));
  try {
    const stage = join(work, folder);
    const nodeBin = registryNode(root, work);
    stageSources(root, stage);
    installProduction(stage, nodeBin);
    checkKafkaFixes(root, stage);
    pruneStage(stage);
    const links = checkWorkspaceLinks(stage);
    bundleNode(nodeBin, stage);
    writeLaunchers(stage);
    writeManifest(stage, manifest, version);
    const sbom = writeSbom(stage, version, built);
    checkLauncher(stage, version);
    pack(work, folder, output, built);
    const mb = (statSync(output).size / 1024 / 1024).toFixed(1);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `paystream: ${output} (${mb} MiB, ${String(links.length)} packages, ${String(sbom.components.length)} dependencies) in ${seconds} s`,
    );
    return output;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

build();
