// Prometheus and promtool from Debian's package, installed on first use by
// scripts/install-prometheus.sh (idempotent, serialised by a lock, never starting the system service).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../../..');

let installed: { readonly prometheus: string; readonly promtool: string } | undefined;

/** The paths of `prometheus` and `promtool`, installing the package when they are missing. */
export function prometheusBinaries(): { readonly prometheus: string; readonly promtool: string } {
  if (installed) return installed;
  const prometheus = execFileSync('bash', [join(repoRoot, 'scripts/install-prometheus.sh')], { encoding: 'utf8' }).trim();
  installed = { prometheus, promtool: join(dirname(prometheus), 'promtool') };
  return installed;
}

/** Runs promtool; its exit status, and what it printed on both streams. */
export function promtool(args: readonly string[], cwd = repoRoot): { readonly status: number; readonly output: string } {
  try {
    const output = execFileSync(prometheusBinaries().promtool, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, output };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { status: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
