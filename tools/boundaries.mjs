// The dependency arrows of docs/architecture.md, as data: which tags a project may import,
// and what a plugin may never touch. Read by eslint.config.mjs and test/workspace.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const allowedTags = {
  'type:contracts': [],
  'type:core': [],
  'type:sim': [],
  'type:infra': [],
  'type:sdk': ['type:core', 'type:contracts'],
  'type:plugin': ['type:sdk', 'type:contracts'],
  'type:runtime': ['type:sdk', 'type:core', 'type:contracts'],
  'type:app': ['type:sdk', 'type:core', 'type:contracts', 'type:runtime', 'type:plugin'],
  'type:test': ['type:sdk', 'type:core', 'type:contracts', 'type:runtime', 'type:plugin', 'type:app', 'type:sim', 'type:infra', 'type:test'],
};

/** Test code may also drive the simulator and the broker, which production code never does. */
export const testOnlyTags = ['type:sim', 'type:infra', 'type:test'];

/** Plugins hold no sockets, keys, retries or logging of their own: the SDK façade provides them. */
export const pluginBannedImports = ['undici', 'kafkajs', 'opossum', 'pino', 'node:http', 'node:https', 'node:net', 'node:tls', 'node:crypto', 'node:fs', 'node:child_process'];

export const workspaceGlobs = ['packages', 'plugins', 'infra', 'test'];

/** Every workspace project: { name, dir, tags }. */
export function readProjects(root) {
  const projects = [];
  for (const group of workspaceGlobs) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const file = join(base, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      projects.push({ name: pkg.name, dir: `${group}/${entry.name}`, tags: pkg.nx?.tags ?? [] });
    }
  }
  return projects;
}

/** Names of the workspace packages a project must not import. */
export function forbiddenFor(project, projects, { testCode = false } = {}) {
  const allowed = new Set(project.tags.flatMap((t) => allowedTags[t] ?? []));
  if (testCode) testOnlyTags.forEach((t) => allowed.add(t));
  return projects.filter((p) => p.name !== project.name && !p.tags.some((t) => allowed.has(t))).map((p) => p.name);
}
