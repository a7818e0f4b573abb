// The plan as an operator reads it: one aligned line per ACL binding, grouped by principal.
import type { AclBinding } from './plan.ts';

const COLUMNS: readonly [string, (b: AclBinding) => string][] = [
  ['PRINCIPAL', (b) => b.principal],
  ['ROLE', (b) => b.role],
  ['RESOURCE', (b) => b.resourceType],
  ['PATTERN', (b) => b.patternType],
  ['NAME', (b) => b.name],
  ['OPERATION', (b) => b.operation],
  ['PERMISSION', (b) => b.permission],
];

export function aclTable(bindings: readonly AclBinding[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...bindings.map((b) => COLUMNS.map(([, cell]) => cell(b)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
