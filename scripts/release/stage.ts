// The artifact's folder before it is packed: the shipped packages' sources, their production
// dependencies installed by npm from the lockfile (with the project's fixes applied by the same
// postinstall as in the repository), and nothing of the workspace that only builds or tests it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The workspace groups whose packages run in the artifact: the worker, its plugins and the simulator. */
const SHIPPED_GROUPS = ['packages', 'plugins'];
/** Only there to build and test: their manifests are staged for `npm ci` (the lockfile names them), then removed. */
const UNSHIPPED_GROUPS = ['infra', 'test'];
/** The kafkajs files the root postinstall replaces (scripts/patch-dependencies.mjs, ADR 0012). */
const KAFKAJS_FIXES = [
  ['sendMessages.js', 'node_modules/kafkajs/src/producer/sendMessages.js'],
  ['requestQueue.js', 'node_modules/kafkajs/src/network/requestQueue/index.js'],
] as const;

const isTestSource = (path: string): boolean => /\.(?:spec|test)\.[cm]?ts$/.test(path) || path.split(sep).includes('__fixtures__');

function workspaces(root: string, groups: readonly string[]): string[] {
  return groups.flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group))
          .map((name) => join(group, name))
          .filter((dir) => existsSync(join(root, dir, 'package.json')))
      : [],
  );
}

/** Copies what `npm ci` reads and every shipped package's manifest and sources (specs left out). */
export function stageSources(root: string, stage: string): void {
  mkdirSync(stage, { recursive: true });
  for (const file of ['package.json', 'package-lock.json', 'scripts/patch-dependencies.mjs', 'scripts/patches'])
    cpSync(join(root, file), join(stage, file), { recursive: true });
  for (const dir of workspaces(root, UNSHIPPED_GROUPS)) cpSync(join(root, dir, 'package.json'), join(stage, dir, 'package.json'));
  for (const dir of workspaces(root, SHIPPED_GROUPS)) {
    cpSync(join(root, dir, 'package.json'), join(stage, dir, 'package.json'));
    cpSync(join(root, dir, 'src'), join(stage, dir, 'src'), { recursive: true, filter: (src) => !isTestSource(src) });
  }
}

/**
 * The environment without what an outer `npm run release` exports (npm_config_local_prefix names the
 * repository): the install must see the staging folder as its project, never the working tree.
 */
function ownEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

/** `npm ci --omit=dev` in the staging folder, run by the Node.js that ships in the artifact. */
export function installProduction(stage: string, nodeBin: string): void {
  const path = [dirname(nodeBin), process.env['PATH'] ?? ''].join(':');
  const npm = spawnSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: stage,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...ownEnvironment(), PATH: path, npm_config_update_notifier: 'false' },
  });
  if (npm.status !== 0) throw new Error(`npm ci --omit=dev failed in ${stage} (exit ${String(npm.status)})`);
}

/** Fails unless the installed kafkajs carries the project's fixes: without them no Kafka client starts. */
export function checkKafkaFixes(root: string, stage: string): void {
  for (const [fixed, installed] of KAFKAJS_FIXES) {
    const want = readFileSync(join(root, 'scripts/patches/kafkajs', fixed), 'utf8');
    if (readFileSync(join(stage, installed), 'utf8') !== want) throw new Error(`${installed} in the artifact is not the fixed file`);
  }
}

/** Removes the build-only workspaces, the links to them, the install's leftovers and npm's bin links. */
export function pruneStage(stage: string): void {
  const unshipped = workspaces(stage, UNSHIPPED_GROUPS).map((dir) => resolve(stage, dir));
  const scope = join(stage, 'node_modules/@paystream');
  for (const name of readdirSync(scope)) {
    const link = join(scope, name);
    if (!lstatSync(link).isSymbolicLink()) throw new Error(`${relative(stage, link)} is not a workspace link`);
    const target = resolve(scope, readlinkSync(link));
    if (unshipped.includes(target)) unlinkSync(link);
  }
  for (const group of UNSHIPPED_GROUPS) rmSync(join(stage, group), { recursive: true, force: true });
  for (const leftover of ['scripts', 'package-lock.json', 'node_modules/.bin'])
    rmSync(join(stage, leftover), { recursive: true, force: true });
}

/** Every workspace link must be relative and lead inside the artifact, so that it survives extraction anywhere. */
export function checkWorkspaceLinks(stage: string): string[] {
  const scope = join(stage, 'node_modules/@paystream');
  return readdirSync(scope).map((name) => {
    const target = readlinkSync(join(scope, name));
    const real = resolve(scope, target);
    if (target.startsWith('/') || !real.startsWith(stage + sep) || !existsSync(join(real, 'package.json')))
      throw new Error(`node_modules/@paystream/${name} -> ${target} does not stay inside the artifact`);
    return `@paystream/${name}`;
  });
}
