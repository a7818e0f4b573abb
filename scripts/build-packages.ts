// Builds the packages other teams install — @paystream/contracts and @paystream/client — into
// dist/npm/<name>/: ESM JavaScript for Node 20 and later with its type declarations, a package.json
// with an exports map, engines and the published versions, and the README, CHANGELOG and (for the
// contracts) the JSON Schemas and AsyncAPI document. `npm publish dist/npm/<name>` publishes one.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTRACT_VERSION } from '@paystream/contracts';

const root = join(import.meta.dirname, '..');
export const npmDir = join(root, 'dist/npm');

interface Manifest {
  name: string;
  version: string;
  description: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  engines?: Record<string, string>;
}

const read = (path: string): Manifest => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

/** The version a workspace package is published under: the contract's for the contracts, its own for the rest. */
const publishedVersion = (m: Manifest): string => (m.name === '@paystream/contracts' ? CONTRACT_VERSION : m.version);

function compile(pkgDir: string, out: string): void {
  const tsconfig = join(pkgDir, 'tsconfig.publish.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        noEmit: false,
        declaration: true,
        target: 'ES2022',
        lib: ['ES2023'],
        rootDir: 'src',
        outDir: join(out, 'dist'),
        rewriteRelativeImportExtensions: true,
        sourceMap: false,
      },
      // What the index reaches, and nothing else: no tests, no repository tooling.
      files: ['src/index.ts'],
    }),
  );
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });
  } finally {
    rmSync(tsconfig);
  }
}

/** The published dependencies: workspace packages at their published versions, others as declared. */
function dependencies(deps: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!deps) return undefined;
  return Object.fromEntries(
    Object.entries(deps).map(([name, range]) =>
      name.startsWith('@paystream/')
        ? [name, `^${publishedVersion(read(join(root, 'node_modules', name, 'package.json')))}`]
        : [name, range],
    ),
  );
}

function manifest(m: Manifest, extraExports: Record<string, string>, files: string[]): object {
  return {
    name: m.name,
    version: publishedVersion(m),
    description: m.description,
    license: 'UNLICENSED',
    type: 'module',
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, ...extraExports, './package.json': './package.json' },
    types: './dist/index.d.ts',
    files: ['dist', 'README.md', 'CHANGELOG.md', ...files],
    engines: { node: '>=20.12' },
    dependencies: dependencies(m.dependencies),
    ...(m.peerDependencies ? { peerDependencies: m.peerDependencies } : {}),
    sideEffects: false,
  };
}

/** Builds one workspace package (`packages/<folder>`) into `<outRoot>/<folder>` (dist/npm/<folder>); returns that folder. */
export function buildPackage(folder: 'contracts' | 'client', outRoot = npmDir): string {
  const pkgDir = join(root, 'packages', folder);
  const out = join(outRoot, folder);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  compile(pkgDir, out);
  const extra: Record<string, string> = {};
  const files: string[] = [];
  if (folder === 'contracts') {
    cpSync(join(root, 'docs/schemas'), join(out, 'schemas'), { recursive: true });
    cpSync(join(root, 'docs/asyncapi.yaml'), join(out, 'asyncapi.yaml'));
    Object.assign(extra, { './schemas/*': './schemas/*', './asyncapi.yaml': './asyncapi.yaml' });
    files.push('schemas', 'asyncapi.yaml');
  }
  if (folder === 'client') {
    cpSync(join(pkgDir, 'examples'), join(out, 'examples'), { recursive: true });
    files.push('examples');
  }
  for (const doc of ['README.md', 'CHANGELOG.md']) cpSync(join(pkgDir, doc), join(out, doc));
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest(read(join(pkgDir, 'package.json')), extra, files), null, 2)}\n`);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const folder of ['contracts', 'client'] as const) console.log(`built ${buildPackage(folder)}`);
}
