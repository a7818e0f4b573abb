import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import paymentMethodGenerator from './generator.ts';

const PLUGIN_LIST = `// The one list of payment-method plugins the worker loads.
import type { ContainerModule } from 'inversify';
import { card3dsModule } from '@paystream/plugin-card-3ds';
import { gopayModule } from '@paystream/plugin-gopay';
import { qrisModule } from '@paystream/plugin-qris';

export const pluginModules: Readonly<Record<string, ContainerModule>> = {
  'card-3ds': card3dsModule,
  gopay: gopayModule,
  qris: qrisModule,
};
`;

let tree: Tree;

beforeEach(() => {
  tree = createTreeWithEmptyWorkspace({ formatter: 'prettier' });
  tree.write('.prettierrc', JSON.stringify({ singleQuote: true, printWidth: 140, trailingComma: 'all' }));
  tree.write('packages/worker/src/plugins.ts', PLUGIN_LIST);
  tree.write(
    'packages/worker/package.json',
    JSON.stringify({ name: '@paystream/worker', version: '0.0.0', dependencies: { '@paystream/plugin-gopay': '0.0.0' } }),
  );
  tree.write(
    'packages/plugin-sdk/package.json',
    JSON.stringify({ name: '@paystream/plugin-sdk', version: '0.0.0', dependencies: { zod: '^4.6.7' } }),
  );
});

const read = (path: string): string => tree.read(path, 'utf-8') ?? `(missing ${path})`;

async function failure(options: Record<string, unknown>): Promise<string> {
  try {
    await paymentMethodGenerator(tree, options);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'no error';
}

describe('payment-method generator', () => {
  it('renders the plugin package, the method page and nothing else outside the worker', async () => {
    await paymentMethodGenerator(tree, { name: 'link-aja' });
    const written = tree
      .listChanges()
      .map((c) => c.path)
      .filter((p) => !['package.json', 'nx.json', 'tsconfig.base.json', '.prettierrc', 'packages/plugin-sdk/package.json'].includes(p))
      .sort();
    expect(written).toEqual([
      'docs/methods/link-aja.md',
      'packages/worker/package.json',
      'packages/worker/src/plugins.ts',
      'plugins/link-aja/README.md',
      'plugins/link-aja/package.json',
      'plugins/link-aja/src/index.ts',
      'plugins/link-aja/src/link-aja.plugin.spec.ts',
      'plugins/link-aja/src/link-aja.plugin.ts',
      'plugins/link-aja/tsconfig.json',
      'plugins/link-aja/vitest.config.ts',
    ]);
    expect(readJson(tree, 'plugins/link-aja/package.json')).toMatchObject({
      name: '@paystream/plugin-link-aja',
      exports: { '.': './src/index.ts' },
      scripts: { lint: 'eslint .', typecheck: 'tsc -p tsconfig.json --noEmit', test: 'vitest run' },
      dependencies: { '@paystream/plugin-sdk': '0.0.0', zod: '^4.6.7' },
      nx: { tags: ['type:plugin'] },
    });
    expect(read('plugins/link-aja/src/index.ts')).toContain('export const linkAjaModule = pluginModule(linkAjaPlugin);');
    const plugin = read('plugins/link-aja/src/link-aja.plugin.ts');
    expect(plugin).toContain("method: 'link-aja',");
    expect(plugin).toContain("topic: 'paystream.commands.link-aja',");
    expect(plugin).toContain("operations: directDebitOperations<z.infer<typeof Details>>('LINK_AJA', endpoints),");
    for (const path of ['payment-host-to-host', 'status', 'cancel', 'refund']) expect(plugin).toContain(`'/v1.0/debit/${path}',`);
    expect(plugin).not.toMatch(/TODO|FIXME/);
    expect(read('plugins/link-aja/src/link-aja.plugin.spec.ts')).toContain('runContractSuite(linkAjaPlugin,');
    expect(read('plugins/link-aja/README.md')).toMatch(/## Checklist\n\n1\. \[ \] \*\*Endpoints\*\*/);
  });

  it('inserts one import and one entry into the worker list, each in its sorted place', async () => {
    await paymentMethodGenerator(tree, { name: 'link-aja' });
    await paymentMethodGenerator(tree, { name: 'akulaku' });
    await paymentMethodGenerator(tree, { name: 'shopeepay' });
    expect(read('packages/worker/src/plugins.ts')).toBe(`// The one list of payment-method plugins the worker loads.
import type { ContainerModule } from 'inversify';
import { akulakuModule } from '@paystream/plugin-akulaku';
import { card3dsModule } from '@paystream/plugin-card-3ds';
import { gopayModule } from '@paystream/plugin-gopay';
import { linkAjaModule } from '@paystream/plugin-link-aja';
import { qrisModule } from '@paystream/plugin-qris';
import { shopeepayModule } from '@paystream/plugin-shopeepay';

export const pluginModules: Readonly<Record<string, ContainerModule>> = {
  akulaku: akulakuModule,
  'card-3ds': card3dsModule,
  gopay: gopayModule,
  'link-aja': linkAjaModule,
  qris: qrisModule,
  shopeepay: shopeepayModule,
};
`);
    expect(readJson<{ dependencies: Record<string, string> }>(tree, 'packages/worker/package.json').dependencies).toEqual({
      '@paystream/plugin-gopay': '0.0.0',
      '@paystream/plugin-link-aja': '0.0.0',
      '@paystream/plugin-akulaku': '0.0.0',
      '@paystream/plugin-shopeepay': '0.0.0',
    });
  });

  it('declares a BI-SNAP plugin over the direct-debit family: paths of the chosen operations only, no handler bodies', async () => {
    await paymentMethodGenerator(tree, { name: 'ovo', ops: 'refund' });
    const plugin = read('plugins/ovo/src/ovo.plugin.ts');
    expect(plugin).toContain(
      [
        'const endpoints = {',
        "  status: '/v1.0/debit/status',",
        "  refund: '/v1.0/debit/refund',",
        "  statusServiceCode: '54',",
        '} as const;',
      ].join('\n'),
    );
    expect(plugin).toContain("import { definePaymentMethod, directDebitOperations, directDebitOrderId } from '@paystream/plugin-sdk';");
    expect(plugin).not.toMatch(/=>|\basync\b|\bawait\b|midtrans\.|\bfunction\b/);
    expect(read('plugins/ovo/README.md')).not.toContain('`charge`');
  });

  it('renders a Core API plugin that charges with the command-derived Idempotency-Key and maps with coreStatus', async () => {
    await paymentMethodGenerator(tree, { name: 'akulaku', api: 'core', ops: 'charge,status' });
    const plugin = read('plugins/akulaku/src/akulaku.plugin.ts');
    expect(plugin).toContain("api: 'core',");
    expect(plugin).toContain("path: '/v2/charge', body, idempotencyKey: ctx.ids.idempotencyKey");
    expect(plugin).toContain("coreStatus(o.body['transaction_status'], o.body['fraud_status'])");
    expect(plugin).toContain('operations: { charge, status },');
    expect(read('plugins/akulaku/README.md')).toMatch(/\| `settlement` +\| Paid +\| `succeeded` +\|/);
  });

  it('keeps a method page written ahead of the plugin', async () => {
    tree.write('docs/methods/ovo.md', '# OVO\n\nWritten by hand.\n');
    await paymentMethodGenerator(tree, { name: 'ovo' });
    expect(read('docs/methods/ovo.md')).toBe('# OVO\n\nWritten by hand.\n');
  });

  it.each([
    [{ name: 'OVO' }, '"OVO" is not a method id: use kebab-case starting with a letter, e.g. ovo or link-aja'],
    [{ name: '3ds' }, '"3ds" is not a method id'],
    [{ name: 'link_aja' }, '"link_aja" is not a method id'],
    [{}, 'name the method'],
    [{ name: 'ovo', api: 'soap' }, '--api must be snap (BI-SNAP) or core (Core API v2), not "soap"'],
    [{ name: 'ovo', ops: 'charge,teleport' }, 'unknown operation "teleport": choose among charge, status, cancel, refund'],
  ])('refuses %j with a message that says what to type instead', async (options, message) => {
    expect(await failure(options)).toContain(message);
    expect(tree.exists('plugins')).toBe(false);
  });

  it('refuses a method that already has a plugin folder or a line in the worker list', async () => {
    tree.write('plugins/ovo/package.json', '{}');
    expect(await failure({ name: 'ovo' })).toBe('payment-method: plugins/ovo already exists; choose another method id');
    expect(await failure({ name: 'gopay' })).toBe('payment-method: "gopay" is already listed in packages/worker/src/plugins.ts');
  });
});
