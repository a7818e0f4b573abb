// `nx g @paystream/plugin-sdk:payment-method <name> --api … --ops … --action … --auth|--factors …
// --pending-timeout … [--payment-type …]`: one command adds a payment method — the plugin package with
// its fixture answers and whole-system fixture, its sorted line in the worker's plugin list, the
// worker's dependency on it, the method page and, for a Core API type the simulator lacks, the
// simulator's row — then installs (so the workspace link exists) and prints what is left to fill in.
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
import { fixtureFiles } from './answers.ts';
import { checklist, checklistText, type ChecklistFacts } from './checklist.ts';
import { endpointRows, operationPaths, SNAP_PATHS, SNAP_STATUS_SERVICE_CODE } from './endpoints.ts';
import { kindTemplate, type KindTemplate } from './kinds.ts';
import { normalizeOptions, type NormalizedOptions } from './options.ts';
import { addToPluginList } from './plugin-list.ts';
import { simulatorSupport } from './simulator-support.ts';
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
function sdkImports({ api, ops, action }: NormalizedOptions): string {
  const charges = ops.includes('charge');
  const types = (names: readonly string[]) => names.map((t) => `type ${t}`);
  if (api === 'snap' && action === 'deeplink') return 'definePaymentMethod, directDebitOperations, directDebitOrderId';
  if (api === 'snap') {
    const values = [
      'definePaymentMethod',
      'directDebitOrderId',
      'originalIds',
      ...(charges || ops.includes('refund') ? ['snapAmount'] : []),
      'snapOperations',
    ];
    return [...values, ...(charges ? ['text'] : []), ...types(charges ? ['CustomerAction', 'JsonObject'] : [])].join(', ');
  }
  const values = ['answerUpdate', 'coreStatus', 'definePaymentMethod', 'merchantOf', 'moneyOf', 'references', 'refusalUpdate', 'text'];
  const json = charges || ops.includes('refund') ? ['JsonObject'] : [];
  return [
    ...values,
    ...types([...(charges ? ['CustomerAction'] : []), ...json, 'MidtransOutcome', 'OperationContext', 'OperationHandler', 'PaymentUpdate']),
  ].join(', ');
}

/** The options a user typed, as the README repeats them. */
function commandOptions(o: NormalizedOptions, pendingTimeout: string): string {
  const auth = o.customerAuthentication.row
    ? `--auth=${o.customerAuthentication.row}`
    : `--factors="${o.customerAuthentication.factors.join(',')}"`;
  const core = o.paymentType ? ` --payment-type=${o.paymentType}` : '';
  return `--api=${o.api}${core} --ops=${o.ops.join(',')} --action=${o.action} ${auth} --pending-timeout=${pendingTimeout}`;
}

/** The status codes the generated mapping test starts from, with what the SDK maps them to. */
function mappingRows(api: 'snap' | 'core'): (readonly [string, string])[] {
  const codes = api === 'snap' ? ['00', '01', '04', '05', '06', '08'] : ['settlement', 'pending', 'deny', 'expire', 'cancel', 'refund'];
  const table = statusTable(api);
  return [...codes.map((code) => [code, table.find((r) => r.code === code)?.status ?? 'pending'] as const), ['not-a-status', 'pending']];
}

function substitutionsOf(tree: Tree, options: NormalizedOptions, kind: KindTemplate, raw: unknown): Record<string, unknown> {
  const { name, api, action, customerAuthentication: auth } = options;
  const n = names(name);
  const sdk = readJson<PackageJson>(tree, SDK_PACKAGE);
  const typed = (raw as { pendingTimeout?: unknown }).pendingTimeout;
  return {
    ...n,
    ...options,
    paymentType: options.paymentType ?? name,
    title: n.className,
    apiTitle: api === 'snap' ? 'Midtrans BI-SNAP' : 'the Midtrans Core API v2',
    version: sdk.version,
    zodVersion: sdk.dependencies?.['zod'] ?? '*',
    sdkImports: sdkImports(options),
    payMethod: n.constantName,
    familyAction: api === 'snap' && action === 'deeplink',
    actionBody: api === 'snap' ? (kind.snap ?? '') : kind.core,
    customerAuthentication: JSON.stringify({ description: auth.description, factors: auth.factors }),
    customerAuthenticationText: auth.description,
    factors: auth.factors,
    authRow: auth.row,
    pendingExpression: options.pendingTimeout.expression,
    pendingWords: options.pendingTimeout.words,
    commandOptions: commandOptions(options, typeof typed === 'string' ? typed.trim() : options.pendingTimeout.words),
    shop: kind.shop,
    complete: kind.complete,
    failures: kind.failures,
    kit: kind.kit,
    validDetails: api === 'snap' ? '{ validForMinutes: 30 }' : '{}',
    knownReferences: api === 'snap' ? "{ referenceNo: 'A120261124' }" : "{ transactionId: '0f2d4b6a-8c1e-4a3f-9b5d-7e1c3a5f7b90' }",
    opPaths: operationPaths(api),
    statusField: api === 'snap' ? 'latestTransactionStatus' : 'transaction_status',
    mappingRows: mappingRows(api),
    paths: SNAP_PATHS,
    statusServiceCode: SNAP_STATUS_SERVICE_CODE,
    notifyPath: SNAP_PATHS.notify,
    endpoints: endpointRows(api, options.paymentType ?? name, n.constantName, options.ops),
    statuses: statusTable(api),
  };
}

export default async function paymentMethodGenerator(tree: Tree, raw: unknown): Promise<GeneratorCallback> {
  const options = normalizeOptions(raw);
  const kind = kindTemplate(options.action);
  const { name, api } = options;
  const dir = `plugins/${name}`;
  if (tree.exists(dir)) throw new Error(`payment-method: ${dir} already exists; choose another method id`);
  const list = tree.read(PLUGIN_LIST, 'utf-8');
  if (list === null) throw new Error(`payment-method: ${PLUGIN_LIST} is missing; run the generator at the root of the Paystream workspace`);
  tree.write(PLUGIN_LIST, addToPluginList(list, { method: name, moduleName: `${names(name).propertyName}Module` }));

  const substitutions = substitutionsOf(tree, options, kind, raw);
  const facts: ChecklistFacts = {
    name,
    api,
    action: options.action,
    paymentType: options.paymentType,
    authRow: options.customerAuthentication.row,
    simulator: simulatorSupport(tree, options, names(name).constantName, substitutions),
  };
  const rendered = { ...substitutions, checklist: checklist(facts) };
  generateFiles(tree, join(FILES, 'plugin'), dir, rendered);
  generateFiles(tree, join(FILES, api), dir, rendered);
  const fixtures = fixtureFiles(api, options.ops, kind, {
    paymentType: options.paymentType ?? name,
    statusServiceCode: SNAP_STATUS_SERVICE_CODE,
  });
  for (const [path, text] of Object.entries(fixtures)) tree.write(`${dir}/${path}`, text);
  // A method page written ahead of the plugin is kept as it is.
  if (!tree.exists(`docs/methods/${name}.md`)) generateFiles(tree, join(FILES, 'docs'), 'docs/methods', rendered);
  const version = readJson<PackageJson>(tree, SDK_PACKAGE).version;
  updateJson<PackageJson>(tree, WORKER_PACKAGE, (pkg) => ({
    ...pkg,
    dependencies: { ...pkg.dependencies, [`@paystream/plugin-${name}`]: version },
  }));
  await formatFiles(tree);

  return () => {
    installPackagesTask(tree, true);
    logger.info(checklistText(facts));
  };
}
