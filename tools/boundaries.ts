// The dependency arrows of ARCHITECTURE.md §2, as data: which tags a project may import, and what a
// plugin may never touch. Read by eslint.config.mjs, scripts/ and test/workspace.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const allowedTags: Readonly<Record<string, readonly string[]>> = {
  'type:contracts': [],
  'type:client': ['type:contracts'],
  'type:core': [],
  'type:sim': [],
  'type:infra': [],
  'type:sdk': ['type:core', 'type:contracts'],
  'type:plugin': ['type:sdk', 'type:contracts'],
  'type:runtime': ['type:sdk', 'type:core', 'type:contracts'],
  'type:app': ['type:sdk', 'type:core', 'type:contracts', 'type:runtime', 'type:plugin'],
  'type:test': [
    'type:client',
    'type:sdk',
    'type:core',
    'type:contracts',
    'type:runtime',
    'type:plugin',
    'type:app',
    'type:sim',
    'type:infra',
    'type:test',
  ],
};

/** Test code may also drive the simulator and the broker, which production code never does. */
export const testOnlyTags = ['type:sim', 'type:infra', 'type:test'];

/** Plugins hold no sockets, keys, retries or logging of their own: the SDK façade provides them. */
export const pluginBannedImports = [
  'undici',
  'kafkajs',
  'opossum',
  'pino',
  'node:http',
  'node:https',
  'node:net',
  'node:tls',
  'node:crypto',
  'node:fs',
  'node:child_process',
];

export const workspaceGlobs = ['packages', 'plugins', 'infra', 'test'];

export interface Project {
  readonly name: string;
  /** Relative to the repository root, e.g. `packages/core`. */
  readonly dir: string;
  readonly tags: readonly string[];
  /** Names of the npm scripts the project defines (its Nx targets). */
  readonly scripts: readonly string[];
}

interface PackageJson {
  name: string;
  scripts?: Record<string, string>;
  nx?: { tags?: string[] };
}

/** Every workspace project, in folder order. */
export function readProjects(root: string): Project[] {
  const projects: Project[] = [];
  for (const group of workspaceGlobs) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const file = join(base, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
      projects.push({ name: pkg.name, dir: `${group}/${entry.name}`, tags: pkg.nx?.tags ?? [], scripts: Object.keys(pkg.scripts ?? {}) });
    }
  }
  return projects;
}

/** Names of the workspace packages a project must not import. */
export function forbiddenFor(project: Project, projects: readonly Project[], { testCode = false } = {}): string[] {
  const allowed = new Set(project.tags.flatMap((t) => allowedTags[t] ?? []));
  if (testCode) testOnlyTags.forEach((t) => allowed.add(t));
  return projects.filter((p) => p.name !== project.name && !p.tags.some((t) => allowed.has(t))).map((p) => p.name);
}
