// The dashboard's queries as Prometheus receives them from Grafana: every panel target's expression
// with the dashboard's variables and Grafana's own (`$__rate_interval`) substituted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './prometheus-binaries.ts';

export const DASHBOARD_FILE = join(repoRoot, 'infra/observability/dashboard.json');

interface Dashboard {
  readonly templating: { readonly list: readonly { readonly name: string; readonly type: string }[] };
  readonly panels: readonly { readonly title: string; readonly targets?: readonly { readonly refId: string; readonly expr: string }[] }[];
}

export interface PanelQuery {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}

/** Grafana's built-in variables a query may use, with values fit for a server scraping every second. */
const BUILT_IN: Readonly<Record<string, string>> = { __rate_interval: '1m', __interval: '15s', __range: '1h' };

/** Substitutes `$name` and `${name}`; a variable neither the dashboard nor Grafana defines is an error. */
export function substitute(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = values[name] ?? BUILT_IN[name];
    if (value === undefined) throw new Error(`the dashboard uses $${name}, which it does not define`);
    return value;
  });
}

/** Every panel target's expression, with the dashboard's variables set to `values`. */
export function dashboardQueries(values: Readonly<Record<string, string>>, dashboard: Dashboard = readDashboard()): PanelQuery[] {
  return dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, refId: t.refId, expr: substitute(t.expr, values) })),
  );
}
