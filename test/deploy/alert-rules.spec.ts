// The alert rules are valid for Prometheus, each one proven by promtool's unit tests to fire on its
// condition and to stay silent without it, and each one complete: a hold (`for:`), a severity, a
// summary, a description and a runbook that exists in docs/operations.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { promtool, repoRoot } from './observability/prometheus-binaries.ts';
import { ALERT_TESTS_FILE, ALERTS_FILE, alertRules } from './observability/rules.ts';

/** GitHub's anchor of a Markdown heading: lowercase, punctuation dropped, spaces as dashes. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

describe('the alert rules', () => {
  it('pass promtool check rules', () => {
    const { status, output } = promtool(['check', 'rules', ALERTS_FILE]);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it("pass promtool's unit tests, which cover every alert firing and staying silent", () => {
    const tests = parse(readFileSync(ALERT_TESTS_FILE, 'utf8')) as {
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const cases = tests.tests.flatMap((t) => t.alert_rule_test);
    for (const rule of alertRules()) {
      const own = cases.filter((c) => c.alertname === rule.alert);
      expect({ alert: rule.alert, fires: own.some((c) => c.exp_alerts.length > 0) }).toEqual({ alert: rule.alert, fires: true });
      expect({ alert: rule.alert, silent: own.some((c) => c.exp_alerts.length === 0) }).toEqual({ alert: rule.alert, silent: true });
    }
    const { status, output } = promtool(['test', 'rules', ALERT_TESTS_FILE]);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('give every alert a hold, a severity, a summary, a description and a runbook section of docs/operations.md', () => {
    const operations = readFileSync(join(repoRoot, 'docs/operations.md'), 'utf8');
    const anchors = new Set([...operations.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] ?? '')));
    const rules = alertRules();
    expect(rules.map((r) => r.alert)).toEqual([...new Set(rules.map((r) => r.alert))]);
    for (const r of rules) {
      expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical'], r.alert).toContain(r.labels?.['severity']);
      expect(r.annotations?.['summary'], r.alert).toBeTruthy();
      expect(r.annotations?.['description'], r.alert).toBeTruthy();
      const runbook = r.annotations?.['runbook_url'] ?? '';
      expect(runbook, r.alert).toBe(`docs/operations.md#${r.alert.toLowerCase()}`);
      expect(anchors.has(r.alert.toLowerCase()), `${r.alert}: no section in docs/operations.md`).toBe(true);
    }
  });
});
