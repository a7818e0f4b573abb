// What the Midtrans simulator (packages/midtrans-sim) knows of a new method, read from the workspace
// being generated into: the BI-SNAP paths and direct-debit pay methods it serves, and the Core API
// payment types of its table (src/core-types/, one row per file, listed in index.ts). The generator
// writes a row for a Core API type the table lacks and says what else the simulator lacks.
import type { Tree } from '@nx/devkit';

export const SIM_SRC = 'packages/midtrans-sim/src';
export const CORE_TYPES_DIR = `${SIM_SRC}/core-types`;
export const CORE_TYPES_LIST = `${CORE_TYPES_DIR}/index.ts`;

/** Every TypeScript file under `dir` in the tree. */
function sources(tree: Tree, dir: string): string[] {
  if (!tree.exists(dir)) return [];
  return tree.children(dir).flatMap((child) => {
    const path = `${dir}/${child}`;
    if (tree.isFile(path)) return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
    return sources(tree, path);
  });
}

/** The BI-SNAP paths the simulator routes: the `'/v1.0/…': {` keys of its route tables. */
export function simulatedSnapPaths(tree: Tree): Set<string> {
  const paths = new Set<string>();
  for (const file of sources(tree, SIM_SRC))
    for (const m of (tree.read(file, 'utf-8') ?? '').matchAll(/^\s*'(\/v1\.0\/[^']+)':/gm)) if (m[1]) paths.add(m[1]);
  return paths;
}

/** The simulator's list of direct-debit pay methods: one quoted name a line. */
export const DEBIT_METHODS_LIST = `${SIM_SRC}/snap/debit-methods.ts`;
const DEBIT_LIST_START = /^export const DEBIT_PAY_METHODS\b.*= \[$/;
const DEBIT_ENTRY = /^\s+'([A-Z0-9_]+)',$/;

/** The list's lines, where it starts and ends, and its entries; undefined when the file lost that shape. */
function debitList(source: string): { lines: string[]; end: number; entries: (readonly [number, string])[] } | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => DEBIT_LIST_START.test(line));
  const end = start < 0 ? -1 : lines.findIndex((line, i) => i > start && line === '];');
  if (end < 0) return undefined;
  const entries = lines.slice(start + 1, end).flatMap((line, i) => {
    const m = DEBIT_ENTRY.exec(line);
    return m?.[1] ? [[start + 1 + i, m[1]] as const] : [];
  });
  return { lines, end, entries };
}

/** The pay methods the simulator's direct-debit routes accept, or undefined when the list cannot be read. */
export function simulatedDebitPayMethods(tree: Tree): Set<string> | undefined {
  const list = debitList(tree.read(DEBIT_METHODS_LIST, 'utf-8') ?? '');
  return list && new Set(list.entries.map(([, m]) => m));
}

/** The simulator's list with `payMethod` in its sorted place. */
export function addDebitPayMethod(source: string, payMethod: string): string {
  const list = debitList(source);
  if (!list)
    throw new Error(`payment-method: ${DEBIT_METHODS_LIST} has no multi-line DEBIT_PAY_METHODS list; add '${payMethod}' to it by hand`);
  list.lines.splice(sortedSlot(list.entries, payMethod, list.end), 0, `  '${payMethod}',`);
  return list.lines.join('\n');
}

export interface CoreTypeRow {
  /** e.g. `packages/midtrans-sim/src/core-types/cstore.ts`. */
  readonly file: string;
  /** The request fields the row refuses a charge without, e.g. `cstore.store`. */
  readonly requires: readonly string[];
}

/** The simulator's row of a Core API payment type, or undefined when its table has none (or no table). */
export function coreTypeRow(tree: Tree, paymentType: string): CoreTypeRow | undefined {
  for (const file of sources(tree, CORE_TYPES_DIR)) {
    const source = tree.read(file, 'utf-8') ?? '';
    if (!new RegExp(`paymentType:\\s*'${paymentType}'`).test(source)) continue;
    const requires = /requires:\s*\[([^\]]*)\]/.exec(source)?.[1] ?? '';
    return { file, requires: [...requires.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '') };
  }
  return undefined;
}

/** Whether the workspace's simulator has the Core API payment-type table the generator adds rows to. */
export const hasCoreTypeTable = (tree: Tree): boolean => tree.exists(CORE_TYPES_LIST);

export interface CoreTypeEntry {
  /** The row's export, e.g. `bankTransfer`. */
  readonly identifier: string;
  /** The row's file name without `.ts`, e.g. `bank-transfer`. */
  readonly file: string;
}

const IMPORT = /^import \{ (\w+) \} from '\.\/([a-z0-9-]+)\.ts';$/;
const LIST_START = /^export const CORE_PAYMENT_TYPES\b.*= \[$/;
const ENTRY = /^\s+(\w+),$/;

/** Index before which `key` belongs among sorted `keys` (at `end` when it sorts last). */
function sortedSlot(keys: readonly (readonly [number, string])[], key: string, end: number): number {
  return keys.find(([, k]) => k > key)?.[0] ?? end;
}

/** The table's list with the row added: one import and one entry, each in its sorted place. */
export function addToCoreTypeList(source: string, { identifier, file }: CoreTypeEntry): string {
  const lines = source.split('\n');
  const imports = lines.flatMap((line, i) => {
    const m = IMPORT.exec(line);
    return m?.[1] ? [[i, m[1]] as const] : [];
  });
  const start = lines.findIndex((line) => LIST_START.test(line));
  const end = start < 0 ? -1 : lines.findIndex((line, i) => i > start && line === '];');
  if (end < 0 || imports.length === 0) {
    throw new Error(
      `payment-method: ${CORE_TYPES_LIST} has no row imports and multi-line "export const CORE_PAYMENT_TYPES = [" list; add ${identifier} from ./${file}.ts to it by hand`,
    );
  }
  const entries = lines.slice(start + 1, end).flatMap((line, i) => {
    const m = ENTRY.exec(line);
    return m?.[1] ? [[start + 1 + i, m[1]] as const] : [];
  });
  if (imports.some(([, k]) => k === identifier)) throw new Error(`payment-method: ${identifier} is already listed in ${CORE_TYPES_LIST}`);
  // The entry goes in first: it sits below the imports, so inserting it leaves their indices intact.
  lines.splice(sortedSlot(entries, identifier, end), 0, `  ${identifier},`);
  const lastImport = imports.at(-1)?.[0] ?? 0;
  lines.splice(sortedSlot(imports, identifier, lastImport + 1), 0, `import { ${identifier} } from './${file}.ts';`);
  return lines.join('\n');
}
