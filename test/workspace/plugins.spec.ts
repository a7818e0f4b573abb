// Meta-tests over every plugins/* folder: the conventions that make a payment method one folder plus
// one line in the worker. Each rule reads the folder, the worker's plugin list and the plugin's own
// declaration (loaded through the worker's modules), so a newly generated plugin is checked as soon
// as its files exist — and fails here, not in production, when it skips one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Container } from 'inversify';
import { PAYMENT_METHOD_PLUGIN, type PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { pluginModules } from '@paystream/worker';
import { describe, expect, it } from 'vitest';
import { readProjects } from '../../tools/boundaries.ts';

const root = join(import.meta.dirname, '../..');
const projects = readProjects(root);
const folders = projects.filter((p) => p.dir.startsWith('plugins/'));
const coreTagged = projects.filter((p) => p.tags.includes('type:core')).map((p) => p.name);
const workerList = readFileSync(join(root, 'packages/worker/src/plugins.ts'), 'utf8');

/** The plugins a worker module binds, exactly as the worker's container sees them. */
function declared(name: string): PaymentMethodPlugin[] {
  const module = pluginModules[name];
  if (!module) return [];
  const container = new Container();
  container.load(module);
  return container.getAll(PAYMENT_METHOD_PLUGIN);
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const importsOf = (source: string): string[] =>
  [...source.matchAll(/(?:\bfrom|\bimport\s*\(?)\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

it('reads static, type-only, side-effect and dynamic imports', () => {
  const source =
    "import { a } from '@paystream/core';\nimport type { B } from \"@paystream/core/x\";\nimport 'side';\nconst c = await import('dyn');";
  expect(importsOf(source)).toEqual(['@paystream/core', '@paystream/core/x', 'side', 'dyn']);
});

it('finds the plugin folders, and each module of the worker list belongs to one', () => {
  expect(folders.length).toBeGreaterThan(0);
  expect(Object.keys(pluginModules).sort()).toEqual(folders.map((f) => f.dir.slice('plugins/'.length)).sort());
});

describe.each(folders.map((f) => [f.dir.slice('plugins/'.length), f] as const))('plugins/%s', (folder, project) => {
  const dir = join(root, project.dir);

  it('is listed in the worker, importing its own package, and declares the method named like the folder', () => {
    expect(workerList).toContain(`from '${project.name}'`);
    const plugins = declared(folder);
    expect(plugins.map((p) => p.method)).toEqual([folder]);
  });

  it('consumes paystream.commands.<method> and relies on at least two customer-authentication factors', () => {
    for (const plugin of declared(folder)) {
      expect(plugin.topic).toBe(`paystream.commands.${plugin.method}`);
      expect(plugin.customerAuthentication.factors.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('has a README.md and a method page docs/methods/<method>.md', () => {
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
    expect(existsSync(join(root, 'docs/methods', `${folder}.md`))).toBe(true);
  });

  it('is tagged type:plugin and imports nothing tagged type:core, in its code or its tests', () => {
    expect(project.tags).toContain('type:plugin');
    const offending = tsFiles(dir).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => coreTagged.some((name) => spec === name || spec.startsWith(`${name}/`)))
        .map((spec) => `${relative(root, file)}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('has unit tests that run the contract kit', () => {
    const specs = tsFiles(join(dir, 'src')).filter((f) => f.endsWith('.spec.ts'));
    expect(
      specs.some((f) => /\brunContractSuite\(/.test(readFileSync(f, 'utf8'))),
      `no *.spec.ts under ${project.dir}/src calls runContractSuite`,
    ).toBe(true);
  });
});
