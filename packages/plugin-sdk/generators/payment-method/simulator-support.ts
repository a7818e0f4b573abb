// What the generator does about the Midtrans simulator for a new method: for a Core API payment type
// its table lacks, it writes the row from a template and lists it; for anything else the simulator
// lacks (a BI-SNAP path or pay method, an action its answers do not carry), it says so in the checklist.
import { join } from 'node:path';
import { generateFiles, names, type Tree } from '@nx/devkit';
import { SNAP_PATHS } from './endpoints.ts';
import type { NormalizedOptions } from './options.ts';
import {
  addDebitPayMethod,
  addToCoreTypeList,
  DEBIT_METHODS_LIST,
  CORE_TYPES_DIR,
  CORE_TYPES_LIST,
  coreTypeRow,
  hasCoreTypeTable,
  simulatedDebitPayMethods,
  simulatedSnapPaths,
} from './simulator.ts';

/** How the simulator lets the customer complete each kind (`Completion` of its table), and what they may do. */
const COMPLETION: Readonly<Record<string, { completion: string; words: string; outcomes: readonly string[] }>> = {
  deeplink: { completion: 'pay-page', words: 'on the pay page its deeplink opens', outcomes: ['pay', 'decline'] },
  redirect: { completion: 'provider-redirect', words: 'at the provider its redirect_url opens', outcomes: ['pay', 'decline'] },
  qr: { completion: 'pay-page', words: 'by scanning the QR in their app', outcomes: ['pay', 'decline'] },
  virtual_account: { completion: 'va-transfer', words: 'by a transfer to the virtual account', outcomes: ['pay'] },
  three_ds: { completion: 'three-ds', words: "on the issuer's 3-D Secure page", outcomes: ['pay'] },
  payment_code: { completion: 'counter', words: 'by paying the code at a counter', outcomes: ['pay'] },
  instructions: { completion: 'pay-page', words: 'by following the steps (the pay page stands in)', outcomes: ['pay'] },
};

function snapSupport(tree: Tree, { name, ops, action }: NormalizedOptions, payMethod: string): string[] {
  const served = simulatedSnapPaths(tree);
  const missing = ops.map((op) => SNAP_PATHS[op]).filter((path) => !served.has(path));
  const payMethods = simulatedDebitPayMethods(tree);
  const cannot = `so the whole-system suite cannot run ${name} until packages/midtrans-sim learns it.`;
  // A wallet link on paths the simulator serves needs only its pay method in the one list.
  if (payMethods && !payMethods.has(payMethod) && missing.length === 0 && action === 'deeplink') {
    tree.write(DEBIT_METHODS_LIST, addDebitPayMethod(tree.read(DEBIT_METHODS_LIST, 'utf-8') ?? '', payMethod));
    return [`The generator added the pay method ${payMethod} to the simulator's direct-debit routes (\`${DEBIT_METHODS_LIST}\`).`];
  }
  return [
    ...(missing.length > 0 ? [`The Midtrans simulator does not serve ${missing.map((p) => `\`${p}\``).join(', ')}, ${cannot}`] : []),
    ...(payMethods && !payMethods.has(payMethod)
      ? [`The simulator's direct-debit routes accept the pay methods ${[...payMethods].join(', ')}, not ${payMethod}, ${cannot}`]
      : []),
    ...(action === 'deeplink'
      ? []
      : [
          `The simulator's direct-debit charge answers a wallet link (\`webRedirectUrl\`), not the fields of a \`${action}\` action, ${cannot}`,
        ]),
  ];
}

/** Writes the simulator's row for a Core API payment type it does not know; returns what the checklist says. */
function coreSupport(tree: Tree, options: NormalizedOptions, substitutions: Record<string, unknown>): string[] {
  const paymentType = options.paymentType ?? options.name;
  const row = coreTypeRow(tree, paymentType);
  if (row) {
    const fields = row.requires.map((f) => `\`${f}\``).join(', ');
    return [
      `The simulator knows \`payment_type\` ${paymentType} (\`${row.file}\`)${fields ? `, and refuses a charge without ${fields}: carry them in \`Details\`, the charge body and the fixture's details` : ''}.`,
    ];
  }
  if (!hasCoreTypeTable(tree))
    return [`The simulator has no Core API payment-type table (\`${CORE_TYPES_LIST}\`): teach it ${paymentType} by hand.`];
  const n = names(paymentType);
  const kind = COMPLETION[options.action] ?? { completion: 'pay-page', words: 'on the pay page', outcomes: ['pay'] };
  generateFiles(tree, join(import.meta.dirname, 'files/simulator'), CORE_TYPES_DIR, {
    ...substitutions,
    rowFile: n.fileName,
    rowIdentifier: n.propertyName,
    completion: kind.completion,
    completionWords: kind.words,
    outcomes: kind.outcomes,
  });
  const list = tree.read(CORE_TYPES_LIST, 'utf-8') ?? '';
  tree.write(CORE_TYPES_LIST, addToCoreTypeList(list, { identifier: n.propertyName, file: n.fileName }));
  return [
    `The generator wrote the simulator's row for \`payment_type\` ${paymentType} (\`${CORE_TYPES_DIR}/${n.fileName}.ts\`, listed in \`${CORE_TYPES_LIST}\`) from its \`${options.action}\` template: make it answer as Midtrans does for ${paymentType}.`,
  ];
}

/** Teaches the simulator what the generator can, and returns what the checklist must say about the rest. */
export function simulatorSupport(
  tree: Tree,
  options: NormalizedOptions,
  payMethod: string,
  substitutions: Record<string, unknown>,
): readonly string[] {
  return options.api === 'snap' ? snapSupport(tree, options, payMethod) : coreSupport(tree, options, substitutions);
}
