// Wraps the project's alert rules — a plain Prometheus rules file, infra/observability/alerts.yaml,
// which any Prometheus loads as it is — into the Prometheus Operator's PrometheusRule of the
// Kustomize base, so the rules are written once. test/deploy/kustomize.spec.ts fails when the two
// differ.
//
//   node infra/k8s/render-rules.ts [RULES_FILE [OUT_FILE]]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = resolve(import.meta.dirname, '../..');
/** The rules as Prometheus reads them. */
export const RULES_FILE = join(root, 'infra/observability/alerts.yaml');
/** The resource the Kustomize base lists. */
export const RULE_RESOURCE = join(import.meta.dirname, 'base/prometheus-rule.yaml');
/** How to bring the resource up to date, as the sync test and the header say it. */
export const RENDER_COMMAND = 'bash scripts/run.sh node infra/k8s/render-rules.ts';

interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Record<string, unknown>[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `groups` of a Prometheus rules file, refused with the reason when it is not one. */
export function ruleGroupsOf(text: string, source: string): RuleGroup[] {
  // Merge keys (`<<: *defaults`) are read as Prometheus reads them.
  const doc: unknown = parse(text, { merge: true });
  if (!isObject(doc) || !Array.isArray(doc['groups']) || doc['groups'].length === 0)
    throw new Error(`${source}: not a Prometheus rules file (a non-empty "groups" list is expected)`);
  return doc['groups'].map((group: unknown, g) => {
    if (!isObject(group) || typeof group['name'] !== 'string' || !Array.isArray(group['rules']))
      throw new Error(`${source}: groups[${g}] needs a "name" and a "rules" list`);
    group['rules'].forEach((rule: unknown, r) => {
      const named = isObject(rule) && (typeof rule['alert'] === 'string' || typeof rule['record'] === 'string');
      if (!named || typeof rule['expr'] !== 'string' || rule['expr'].trim() === '')
        throw new Error(`${source}: groups[${g}].rules[${r}] needs "alert" or "record", and "expr"`);
    });
    return group as unknown as RuleGroup;
  });
}

/** The PrometheusRule document holding the groups of `text` unchanged. */
export function renderPrometheusRule(text: string, source = relative(root, RULES_FILE)): string {
  const resource = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'paystream' },
    spec: { groups: ruleGroupsOf(text, source) },
  };
  const header = [
    `# Generated from ${source} by infra/k8s/render-rules.ts: do not edit.`,
    `# After changing the rules, run: ${RENDER_COMMAND}`,
  ];
  return `${header.join('\n')}\n${stringify(resource, { lineWidth: 0, singleQuote: true })}`;
}

function main(args: readonly string[]): void {
  const [rulesFile = RULES_FILE, outFile = RULE_RESOURCE] = args;
  const source = relative(root, resolve(rulesFile));
  writeFileSync(outFile, renderPrometheusRule(readFileSync(rulesFile, 'utf8'), source));
  console.log(`${relative(root, resolve(outFile))}: written from ${source}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
