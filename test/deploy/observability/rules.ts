// The alert rules as the repository ships them (infra/observability/alerts.yaml), read as data, and a
// copy derived from them with shorter `for:` durations for a test that waits for alerts to fire.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot } from './prometheus-binaries.ts';

export const ALERTS_FILE = join(repoRoot, 'infra/observability/alerts.yaml');
export const ALERT_TESTS_FILE = join(repoRoot, 'infra/observability/alerts.test.yaml');

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

interface RuleFile {
  readonly groups: readonly { readonly name: string; readonly rules: readonly AlertRule[] }[];
}

export function readRuleFile(path = ALERTS_FILE): RuleFile {
  return parse(readFileSync(path, 'utf8')) as RuleFile;
}

export function alertRules(file: RuleFile = readRuleFile()): AlertRule[] {
  return file.groups.flatMap((g) => g.rules);
}

/** The rules file with every `for:` set to `holdFor` (e.g. `2s`), expressions and everything else unchanged. */
export function withShortHolds(holdFor: string, file: RuleFile = readRuleFile()): string {
  return stringify({
    groups: file.groups.map((g) => ({ ...g, rules: g.rules.map((r) => (r.for === undefined ? r : { ...r, for: holdFor })) })),
  });
}
