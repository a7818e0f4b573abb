import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { contractActionKinds } from './action-kinds.ts';
import { AUTH_TABLE } from './auth-table.ts';
import paymentMethodGenerator from './generator.ts';
import { KIND_TEMPLATES } from './kinds.ts';

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

/** The simulator's Core API table as the generator finds it: a row per file, listed in index.ts. */
const DEBIT_METHODS = "// prettier-ignore\nexport const DEBIT_PAY_METHODS: readonly string[] = [\n  'DANA',\n  'GOPAY',\n];\n";

const CORE_TYPES = `// Every Core API payment type the simulator accepts.
import type { CorePaymentType } from './payment-type.ts';

import { akulaku } from './akulaku.ts';
import { cstore } from './cstore.ts';

// prettier-ignore
export const CORE_PAYMENT_TYPES: readonly CorePaymentType[] = [
  akulaku,
  cstore,
];
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
  tree.write('packages/midtrans-sim/src/snap/debit-methods.ts', DEBIT_METHODS);
  tree.write(
    'packages/midtrans-sim/src/snap/routes.ts',
    ['export const debitRoutes = {', "  '/v1.0/debit/payment-host-to-host': {},", "  '/v1.0/debit/status': {},", '};', ''].join('\n'),
  );
  tree.write('packages/midtrans-sim/src/core-types/index.ts', CORE_TYPES);
  tree.write(
    'packages/midtrans-sim/src/core-types/cstore.ts',
    "export const cstore = { paymentType: 'cstore', requires: ['cstore', 'cstore.store'] };",
  );
  tree.write('packages/midtrans-sim/src/core-types/akulaku.ts', "export const akulaku = { paymentType: 'akulaku', requires: [] };");
});

const read = (path: string): string => tree.read(path, 'utf-8') ?? `(missing ${path})`;

/** A BI-SNAP e-wallet with every fact given, as a user types it with --no-interactive. */
const snap = (name: string, more: Record<string, unknown> = {}) => ({
  name,
  api: 'snap',
  ops: 'charge,status,cancel,refund',
  action: 'deeplink',
  auth: 'dana',
  pendingTimeout: '15m',
  ...more,
});
/** The Core API cstore method of docs/plugins.md. */
const cstore = (more: Record<string, unknown> = {}) => ({
  name: 'cstore',
  api: 'core',
  paymentType: 'cstore',
  ops: 'charge,status,cancel',
  action: 'payment_code',
  factors: 'payment code possession,cashier verification',
  pendingTimeout: '24h',
  ...more,
});

async function failure(options: Record<string, unknown>): Promise<string> {
  try {
    await paymentMethodGenerator(tree, options);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'no error';
}

const changed = () =>
  tree
    .listChanges()
    .map((c) => c.path)
    .filter((p) => !['package.json', 'nx.json', 'tsconfig.base.json', '.prettierrc', 'packages/plugin-sdk/package.json'].includes(p))
    .filter((p) => !p.startsWith('packages/midtrans-sim/') || !['snap/debit-methods.ts', 'snap/routes.ts'].some((f) => p.endsWith(f)))
    .sort();

describe('payment-method generator', () => {
  it('renders the plugin package with its fixtures and whole-system fixture, the method page, and nothing else outside the worker', async () => {
    await paymentMethodGenerator(tree, snap('link-aja'));
    expect(changed().filter((p) => !p.startsWith('packages/midtrans-sim/src/core-types/'))).toEqual([
      'docs/methods/link-aja.md',
      'packages/worker/package.json',
      'packages/worker/src/plugins.ts',
      'plugins/link-aja/README.md',
      'plugins/link-aja/package.json',
      'plugins/link-aja/src/__fixtures__/cancel.json',
      'plugins/link-aja/src/__fixtures__/charge.json',
      'plugins/link-aja/src/__fixtures__/refund.json',
      'plugins/link-aja/src/__fixtures__/status.json',
      'plugins/link-aja/src/index.ts',
      'plugins/link-aja/src/link-aja.plugin.spec.ts',
      'plugins/link-aja/src/link-aja.plugin.ts',
      'plugins/link-aja/test/whole-system.ts',
      'plugins/link-aja/tsconfig.json',
      'plugins/link-aja/vitest.config.ts',
    ]);
    expect(readJson(tree, 'plugins/link-aja/package.json')).toMatchObject({
      name: '@paystream/plugin-link-aja',
      exports: { '.': './src/index.ts' },
      scripts: { lint: 'eslint .', typecheck: 'tsc -p tsconfig.json --noEmit', test: 'vitest run' },
      dependencies: { '@paystream/plugin-sdk': '0.0.0', zod: '^4.6.7' },
      devDependencies: { '@paystream/e2e-tests': '0.0.0' },
      nx: { tags: ['type:plugin'] },
    });
    expect(readJson(tree, 'plugins/link-aja/tsconfig.json')).toMatchObject({ include: ['src/**/*.ts', 'test/**/*.ts', '*.ts'] });
    expect(read('plugins/link-aja/src/index.ts')).toContain('export const linkAjaModule = pluginModule(linkAjaPlugin);');
    const plugin = read('plugins/link-aja/src/link-aja.plugin.ts');
    expect(plugin).toContain("method: 'link-aja',");
    expect(plugin).toContain("topic: 'paystream.commands.link-aja',");
    expect(plugin).toContain("operations: directDebitOperations<z.infer<typeof Details>>('LINK_AJA', endpoints),");
    expect(plugin).toContain(
      "customerAuthentication: { description: 'Customer authenticates within the DANA app', factors: ['PIN', 'device possession'] },",
    );
    expect(plugin).toContain('pendingTimeoutMs: 15 * 60_000,');
    for (const path of ['payment-host-to-host', 'status', 'cancel', 'refund']) expect(plugin).toContain(`'/v1.0/debit/${path}',`);
    expect(plugin).not.toMatch(/TODO|FIXME/);
    const spec = read('plugins/link-aja/src/link-aja.plugin.spec.ts');
    expect(spec).toContain(
      'runContractSuite(linkAjaPlugin, { validDetails: { validForMinutes: 30 }, chargeAnswer: charge.pending.body });',
    );
    expect(spec).toContain("import refund from './__fixtures__/refund.json' with { type: 'json' };");
    expect(read('plugins/link-aja/README.md')).toMatch(/## Checklist\n\n1\. \[ \] \*\*Endpoints\*\*/);
    expect(read('plugins/link-aja/README.md')).toContain(
      '--api=snap --ops=charge,status,cancel,refund --action=deeplink --auth=dana --pending-timeout=15m',
    );
  });

  it('inserts one import and one entry into the worker list, each in its sorted place', async () => {
    await paymentMethodGenerator(tree, snap('link-aja'));
    await paymentMethodGenerator(tree, { ...cstore(), name: 'akulaku', paymentType: 'akulaku', action: 'redirect' });
    await paymentMethodGenerator(tree, snap('shopeepay'));
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

  it('declares a BI-SNAP deeplink over the direct-debit family: paths of the chosen operations only, no handler bodies', async () => {
    await paymentMethodGenerator(tree, snap('ovo', { ops: 'refund' }));
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
    expect(tree.exists('plugins/ovo/src/__fixtures__/charge.json')).toBe(false);
    expect(Object.keys(readJson(tree, 'plugins/ovo/src/__fixtures__/refund.json'))).toEqual(['success', 'refused']);
  });

  it('declares another BI-SNAP action kind to the SNAP kit, reading the action with actionOf', async () => {
    await paymentMethodGenerator(tree, snap('ovo', { action: 'redirect', pendingTimeout: '2h' }));
    const plugin = read('plugins/ovo/src/ovo.plugin.ts');
    expect(plugin).toContain('const operations = snapOperations<Details>({');
    expect(plugin).toContain("return url ? { kind: 'redirect', url, expiresAt } : undefined;");
    expect(plugin).toContain('action: actionOf,');
    expect(plugin).toContain('pendingTimeoutMs: 2 * 60 * 60_000,');
    expect(readJson(tree, 'plugins/ovo/src/__fixtures__/charge.json')).toMatchObject({
      pending: { httpStatus: 200, body: { responseCode: '2005400', webRedirectUrl: expect.stringMatching(/^https:\/\//) as unknown } },
      refused: { httpStatus: 403, body: { responseCode: '4035402' } },
    });
  });

  it('renders a Core API plugin on its payment_type, with the chosen action, factors and pending timeout', async () => {
    await paymentMethodGenerator(tree, cstore());
    const plugin = read('plugins/cstore/src/cstore.plugin.ts');
    expect(plugin).toContain("const PAYMENT_TYPE = 'cstore';");
    expect(plugin).toContain('const PENDING_TIMEOUT_MS = 24 * 60 * 60_000;');
    expect(plugin).toMatch(/path: '\/v2\/charge',\s+body,\s+idempotencyKey: ctx\.ids\.idempotencyKey,/);
    expect(plugin).toContain("coreStatus(o.body['transaction_status'], o.body['fraud_status'])");
    expect(plugin).toContain("kind: 'payment_code'");
    expect(plugin).toContain('operations: { charge, status, cancel },');
    expect(plugin).toContain("factors: ['payment code possession', 'cashier verification'],");
    expect(readJson(tree, 'plugins/cstore/src/__fixtures__/charge.json')).toMatchObject({
      pending: { body: { status_code: '201', payment_type: 'cstore', payment_code: '250119123456', store: 'indomaret' } },
    });
    expect(Object.keys(readJson(tree, 'plugins/cstore/src/__fixtures__/status.json'))).toEqual(['success', 'pending', 'refused']);
    expect(read('plugins/cstore/README.md')).toMatch(/\| `settlement` +\| Paid +\| `succeeded` +\|/);
    expect(read('plugins/cstore/README.md')).toContain('pending for 24 hours');
    expect(read('docs/methods/cstore.md')).toContain('`data.action.paymentCode` (kind `payment_code`)');
  });

  it('writes the whole-system fixture for the chosen action kind, on the suite kit', async () => {
    await paymentMethodGenerator(tree, cstore());
    const fixture = read('plugins/cstore/test/whole-system.ts');
    expect(fixture).toContain("import type { Fixture } from '@paystream/e2e-tests/plugins/fixture-types.ts';");
    expect(fixture).toContain("action: 'payment_code',");
    expect(fixture).toContain("await h.admin('/pay', { paymentCode: actionField(charge, 'paymentCode') })");
    expect(fixture).toContain('refunds: false,');
    expect(fixture).toContain('cancels: true,');
  });

  it('leaves the simulator alone for a Core API type it knows, and says which request fields its row requires', async () => {
    await paymentMethodGenerator(tree, cstore());
    expect(read('packages/midtrans-sim/src/core-types/index.ts')).toBe(CORE_TYPES);
    expect(read('plugins/cstore/README.md')).toContain('refuses a charge without `cstore`, `cstore.store`');
  });

  it('writes the simulator row of a Core API type it does not know and lists it in core-types/index.ts', async () => {
    await paymentMethodGenerator(tree, cstore({ name: 'uob-ezpay', paymentType: 'uob_ezpay', action: 'redirect', pendingTimeout: '2h' }));
    const row = read('packages/midtrans-sim/src/core-types/uob-ezpay.ts');
    expect(row).toContain('export const uobEzpay: CorePaymentType = {');
    expect(row).toContain("paymentType: 'uob_ezpay',");
    expect(row).toContain("completion: 'provider-redirect',");
    expect(row).toContain('expiryMs: 2 * 60 * 60_000,');
    expect(read('packages/midtrans-sim/src/core-types/index.ts')).toBe(
      CORE_TYPES.replace(
        "import { cstore } from './cstore.ts';",
        "import { cstore } from './cstore.ts';\nimport { uobEzpay } from './uob-ezpay.ts';",
      ).replace('  cstore,\n', '  cstore,\n  uobEzpay,\n'),
    );
    expect(read('plugins/uob-ezpay/README.md')).toContain("wrote the simulator's row for `payment_type` uob_ezpay");
  });

  it("adds a BI-SNAP wallet's pay method to the simulator's one list when the paths it uses are served", async () => {
    await paymentMethodGenerator(tree, snap('ovo', { ops: 'charge,status' }));
    expect(read('packages/midtrans-sim/src/snap/debit-methods.ts')).toBe(DEBIT_METHODS.replace("  'GOPAY',\n", "  'GOPAY',\n  'OVO',\n"));
    expect(read('plugins/ovo/README.md')).toContain("added the pay method OVO to the simulator's direct-debit routes");
  });

  it('says in the checklist what the simulator does not serve for a BI-SNAP method', async () => {
    await paymentMethodGenerator(tree, snap('ovo', { action: 'qr' }));
    const readme = read('plugins/ovo/README.md');
    expect(readme).toContain('The Midtrans simulator does not serve `/v1.0/debit/cancel`, `/v1.0/debit/refund`');
    expect(readme).toContain('accept the pay methods DANA, GOPAY, not OVO');
    expect(read('packages/midtrans-sim/src/snap/debit-methods.ts')).toBe(DEBIT_METHODS);
    expect(readme).toContain('not the fields of a `qr` action');
  });

  it.each(contractActionKinds().flatMap((kind) => [['snap', kind] as const, ['core', kind] as const]))(
    'renders a %s plugin answering with a %s action',
    async (api, action) => {
      await paymentMethodGenerator(
        tree,
        api === 'snap' ? snap('ovo', { action }) : cstore({ name: 'ovo', paymentType: 'ovo_pay', action }),
      );
      expect(read('plugins/ovo/test/whole-system.ts')).toContain(`action: '${action}',`);
      expect(read('plugins/ovo/src/ovo.plugin.spec.ts')).toContain(`action: { kind: '${action}' }`);
      if (api === 'core' || action !== 'deeplink') expect(read('plugins/ovo/src/ovo.plugin.ts')).toContain(`kind: '${action}'`);
    },
  );

  it('has a template for every customer action kind of the contracts', () => {
    expect(Object.keys(KIND_TEMPLATES).sort()).toEqual([...contractActionKinds()].sort());
  });

  it('keeps a method page written ahead of the plugin', async () => {
    tree.write('docs/methods/ovo.md', '# OVO\n\nWritten by hand.\n');
    await paymentMethodGenerator(tree, snap('ovo'));
    expect(read('docs/methods/ovo.md')).toBe('# OVO\n\nWritten by hand.\n');
  });
});

describe('payment-method generator options', () => {
  const kinds = contractActionKinds().join(', ');
  it.each([
    [{ ...snap('OVO') }, '"OVO" is not a method id: use kebab-case starting with a letter, e.g. ovo or link-aja'],
    [{ ...snap('3ds') }, '"3ds" is not a method id'],
    [{ ...snap('link_aja') }, '"link_aja" is not a method id'],
    [{ ...snap('ovo'), name: undefined }, 'name the method'],
    [{ ...snap('ovo'), api: undefined }, '--api is missing: pass --api=snap (BI-SNAP) or --api=core (Core API v2)'],
    [{ ...snap('ovo'), api: 'soap' }, '--api must be snap (BI-SNAP) or core (Core API v2), not "soap"'],
    [{ ...snap('ovo'), ops: undefined }, '--ops is missing: pass --ops with some of charge, status, cancel, refund'],
    [{ ...snap('ovo'), ops: 'charge,teleport' }, 'unknown operation "teleport": choose among charge, status, cancel, refund'],
    [
      { ...snap('ovo'), action: undefined },
      `--action is missing: pass the kind of customer action an accepted charge answers with, one of ${kinds}`,
    ],
    [{ ...snap('ovo'), action: 'telepathy' }, `--action=telepathy is not a customer action kind of the contracts: choose among ${kinds}`],
    [
      { ...snap('ovo'), auth: undefined },
      '--auth or --factors is missing: pass --auth with a row of the BI-SNAP end-customer authentication table',
    ],
    [{ ...snap('ovo'), auth: 'palm' }, '--auth=palm is not a row of the BI-SNAP end-customer authentication table: choose among gopay,'],
    [{ ...snap('ovo'), factors: 'PIN,OTP' }, 'give either --auth=<row> or --factors, not both'],
    [{ ...snap('ovo'), auth: undefined, factors: 'PIN' }, '--factors must name at least 2 customer-authentication factors'],
    [{ ...snap('ovo'), pendingTimeout: undefined }, '--pending-timeout is missing: pass how long a charge may stay pending'],
    [
      { ...snap('ovo'), pendingTimeout: '15 minutes' },
      '--pending-timeout=15 minutes is not a duration: write a whole number and s, m, h or d',
    ],
    [{ ...snap('ovo'), pendingTimeout: '0m' }, '--pending-timeout=0m is not a duration'],
    [{ ...snap('ovo'), paymentType: 'ovo' }, '--payment-type is for --api=core only'],
    [{ ...cstore(), paymentType: undefined }, "--payment-type is missing: --api=core needs Midtrans' Core API payment_type"],
    [{ ...cstore(), paymentType: 'C-Store' }, '--payment-type=C-Store is not a Core API payment_type: use snake_case'],
  ])('refuses %j with a message that says what to type instead', async (options, message) => {
    expect(await failure(options)).toContain(`payment-method: ${message}`);
    expect(tree.exists('plugins')).toBe(false);
  });

  it('takes the factors of a prompt that answered "none" to the table, and an empty answer for the payment type of a BI-SNAP method', async () => {
    await paymentMethodGenerator(tree, snap('ovo', { auth: 'none', factors: ['PIN/biometrics', 'device possession'], paymentType: '' }));
    expect(read('plugins/ovo/src/ovo.plugin.ts')).toContain("factors: ['PIN/biometrics', 'device possession']");
    expect(read('plugins/ovo/README.md')).toContain('given by hand: see the checklist');
  });

  it('refuses a method that already has a plugin folder or a line in the worker list', async () => {
    tree.write('plugins/ovo/package.json', '{}');
    expect(await failure(snap('ovo'))).toBe('payment-method: plugins/ovo already exists; choose another method id');
    expect(await failure(snap('gopay'))).toBe('payment-method: "gopay" is already listed in packages/worker/src/plugins.ts');
  });

  it("keeps the authentication table as docs/plugins.md has it, and offers exactly its rows in the generator's prompt", () => {
    const page = readFileSync(join(import.meta.dirname, '../../../../docs/plugins.md'), 'utf8');
    for (const row of AUTH_TABLE)
      expect(page).toMatch(new RegExp(`\\| ${row.method.replace(/[()/]/g, '\\$&')} +\\|[^\\n]*\\| ${row.factors.join(' \\+ ')} +\\|`));
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'schema.json'), 'utf8')) as {
      properties: { auth: { 'x-prompt': { items: { value: string }[] } } };
    };
    expect(schema.properties.auth['x-prompt'].items.map((i) => i.value)).toEqual([...AUTH_TABLE.map((r) => r.row), 'none']);
  });
});
