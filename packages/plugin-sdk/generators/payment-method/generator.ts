// `nx g @paystream/plugin-sdk:payment-method <name>`: one command adds a payment method — the plugin
// package, its sorted line in the worker's plugin list, the worker's dependency on it and the method
// page — then installs (so the workspace link exists) and prints what is left to fill in.
import { join } from 'node:path';
import {
  formatFiles,
  generateFiles,
  installPackagesTask,
  logger,
  names,
  readJson,
  updateJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import { checklist, checklistText } from './checklist.ts';
import { endpointRows, SNAP_PATHS, SNAP_STATUS_SERVICE_CODE } from './endpoints.ts';
import { normalizeOptions, type NormalizedOptions } from './options.ts';
import { addToPluginList } from './plugin-list.ts';
import { statusTable } from './status-table.ts';

const PLUGIN_LIST = 'packages/worker/src/plugins.ts';
const WORKER_PACKAGE = 'packages/worker/package.json';
const SDK_PACKAGE = 'packages/plugin-sdk/package.json';
const FILES = join(import.meta.dirname, 'files');

interface PackageJson {
  version: string;
  dependencies?: Record<string, string>;
}

/** Exactly the SDK names the rendered plugin uses, so the generated file passes lint as it is. */
function sdkImports({ api, ops }: NormalizedOptions): string {
  if (api === 'snap') return 'definePaymentMethod, directDebitOperations, directDebitOrderId';
  const types = [...(ops.includes('charge') || ops.includes('refund') ? ['JsonObject'] : []), 'MidtransOutcome', 'OperationContext'];
  const values = ['answerUpdate', 'coreStatus', 'definePaymentMethod', 'merchantOf', 'moneyOf', 'references', 'refusalUpdate', 'text'];
  return [...values, ...[...types, 'OperationHandler', 'PaymentUpdate'].map((t) => `type ${t}`)].join(', ');
}

export default async function paymentMethodGenerator(tree: Tree, raw: unknown): Promise<GeneratorCallback> {
  const options = normalizeOptions(raw);
  const { name, api } = options;
  const dir = `plugins/${name}`;
  if (tree.exists(dir)) throw new Error(`payment-method: ${dir} already exists; choose another method id`);
  const n = names(name);
  const list = tree.read(PLUGIN_LIST, 'utf-8');
  if (list === null) throw new Error(`payment-method: ${PLUGIN_LIST} is missing; run the generator at the root of the Paystream workspace`);
  tree.write(PLUGIN_LIST, addToPluginList(list, { method: name, moduleName: `${n.propertyName}Module` }));

  const sdk = readJson<PackageJson>(tree, SDK_PACKAGE);
  const substitutions = {
    ...n,
    ...options,
    title: n.className,
    apiTitle: api === 'snap' ? 'Midtrans BI-SNAP' : 'the Midtrans Core API v2',
    version: sdk.version,
    zodVersion: sdk.dependencies?.['zod'] ?? '*',
    sdkImports: sdkImports(options),
    payMethod: n.constantName,
    paths: SNAP_PATHS,
    statusServiceCode: SNAP_STATUS_SERVICE_CODE,
    notifyPath: SNAP_PATHS.notify,
    endpoints: endpointRows(api, name, n.constantName, options.ops),
    statuses: statusTable(api),
    checklist: checklist(options),
  };
  generateFiles(tree, join(FILES, 'plugin'), dir, substitutions);
  generateFiles(tree, join(FILES, api), dir, substitutions);
  // A method page written ahead of the plugin is kept as it is.
  if (!tree.exists(`docs/methods/${name}.md`)) generateFiles(tree, join(FILES, 'docs'), 'docs/methods', substitutions);
  updateJson<PackageJson>(tree, WORKER_PACKAGE, (pkg) => ({
    ...pkg,
    dependencies: { ...pkg.dependencies, [`@paystream/plugin-${name}`]: sdk.version },
  }));
  await formatFiles(tree);

  return () => {
    installPackagesTask(tree, true);
    logger.info(checklistText(options));
  };
}
