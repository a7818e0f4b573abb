// The worker's plugin list (packages/worker/src/plugins.ts) gains one import and one entry, each in
// its sorted place, so two plugins added on two branches merge without a conflict on a shared last line.

const PLUGIN_IMPORT = /^import \{ (\w+) \} from '@paystream\/plugin-([a-z0-9-]+)';$/;
const LIST_START = /^export const pluginModules\b.*= \{$/;
const ENTRY = /^\s+'?([a-z0-9-]+)'?: \w+,$/;

export interface PluginListEntry {
  /** The method id, e.g. `link-aja`. */
  readonly method: string;
  /** The module the plugin package exports, e.g. `linkAjaModule`. */
  readonly moduleName: string;
}

/** Index before which `method` belongs among sorted `keys` (at `end` when it sorts last). */
function sortedSlot(keys: readonly (readonly [index: number, key: string])[], method: string, end: number): number {
  return keys.find(([, key]) => key > method)?.[0] ?? end;
}

/** The list with the plugin added; throws when the method is already listed or the file lost its shape. */
export function addToPluginList(source: string, { method, moduleName }: PluginListEntry): string {
  const lines = source.split('\n');
  const imports = lines.flatMap((line, i) => {
    const m = PLUGIN_IMPORT.exec(line);
    return m?.[2] && m[2] !== 'sdk' ? [[i, m[2]] as const] : [];
  });
  const start = lines.findIndex((line) => LIST_START.test(line));
  const end = start < 0 ? -1 : lines.findIndex((line, i) => i > start && line === '};');
  if (end < 0) {
    throw new Error(
      `payment-method: packages/worker/src/plugins.ts has no multi-line "export const pluginModules = {" block; add ${moduleName} to it by hand`,
    );
  }
  const entries = lines.slice(start + 1, end).flatMap((line, i) => {
    const m = ENTRY.exec(line);
    return m?.[1] ? [[start + 1 + i, m[1]] as const] : [];
  });
  if (entries.some(([, key]) => key === method) || imports.some(([, key]) => key === method)) {
    throw new Error(`payment-method: "${method}" is already listed in packages/worker/src/plugins.ts`);
  }
  const key = /^[a-z][a-z0-9]*$/.test(method) ? method : `'${method}'`;
  // The entry goes in first: it sits below the imports, so inserting it leaves their indices intact.
  lines.splice(sortedSlot(entries, method, end), 0, `  ${key}: ${moduleName},`);
  const lastImport = imports.at(-1)?.[0] ?? lines.findLastIndex((line, i) => i < start && line.startsWith('import '));
  lines.splice(sortedSlot(imports, method, lastImport + 1), 0, `import { ${moduleName} } from '@paystream/plugin-${method}';`);
  return lines.join('\n');
}
