// CI's dependency audit: `npm audit --omit=dev`. Any advisory of moderate severity or above fails the
// run unless docs/security.md accepts it by id. A registry that does not serve the advisories endpoint
// is reported loudly as "audit unavailable from this registry" and does not fail the run: nothing was
// checked, and the log says so.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FAILING = new Set(['moderate', 'high', 'critical']);
/** The answers of a registry that has no audit endpoint, as opposed to one that failed. */
const NOT_SERVED = new Set([404, 405, 501]);
const GHSA = /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/g;

export type AuditVerdict =
  | { readonly kind: 'clean'; readonly accepted: readonly string[] }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'advisories'; readonly findings: readonly string[] }
  | { readonly kind: 'error'; readonly reason: string };

interface Advisory {
  readonly source?: number;
  readonly name?: string;
  readonly title?: string;
  readonly url?: string;
  readonly severity?: string;
}

interface AuditJson {
  readonly vulnerabilities?: Record<string, { readonly via?: readonly (Advisory | string)[] }>;
  readonly statusCode?: number;
  readonly uri?: string;
  readonly message?: string;
}

/** The advisory ids listed in the "Accepted `npm audit` findings" section of docs/security.md. */
export function acceptedAdvisories(securityDoc: string): string[] {
  const section = securityDoc.split(/^## /m).find((s) => s.startsWith('Accepted `npm audit` findings')) ?? '';
  const rows = section.split('\n').filter((l) => l.startsWith('|'));
  return [...new Set(rows.flatMap((row) => row.split('|')[1]?.match(GHSA) ?? []))];
}

const idOf = (a: Advisory): string => a.url?.match(GHSA)?.[0] ?? `npm advisory ${String(a.source ?? '?')}`;

/** Judges `npm audit --json` output; any output that is not an audit report or a known "not served" answer is an error. */
export function judgeAudit(stdout: string, accepted: readonly string[]): AuditVerdict {
  let report: AuditJson;
  try {
    report = JSON.parse(stdout) as AuditJson;
  } catch {
    return { kind: 'error', reason: 'npm audit printed no JSON report' };
  }
  if (report.statusCode !== undefined) {
    const served = !(NOT_SERVED.has(report.statusCode) && (report.uri ?? '').includes('/-/npm/v1/security/'));
    return served
      ? { kind: 'error', reason: report.message ?? `HTTP ${String(report.statusCode)}` }
      : { kind: 'unavailable', reason: `HTTP ${String(report.statusCode)} from ${report.uri ?? 'the advisories endpoint'}` };
  }
  if (report.vulnerabilities === undefined)
    return { kind: 'error', reason: report.message ?? 'npm audit printed no vulnerabilities section' };
  const advisories = new Map<string, Advisory>();
  for (const v of Object.values(report.vulnerabilities)) for (const a of v.via ?? []) if (typeof a === 'object') advisories.set(idOf(a), a);
  const findings: string[] = [];
  const used: string[] = [];
  for (const [id, a] of advisories) {
    if (!FAILING.has(a.severity ?? '')) continue;
    if (accepted.includes(id)) used.push(id);
    else findings.push(`${a.severity ?? '?'} ${id} in ${a.name ?? '?'}: ${a.title ?? ''}`);
  }
  return findings.length > 0 ? { kind: 'advisories', findings } : { kind: 'clean', accepted: used };
}

function npmAuditJson(root: string): Promise<string> {
  return new Promise((done) => {
    const child = spawn('npm', ['audit', '--omit=dev', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.once('close', () => done(Buffer.concat(out).toString('utf8')));
    child.once('error', () => done(''));
  });
}

/** The CI step: true unless an unaccepted moderate+ advisory was found or the audit failed. */
export async function auditDependencies(root: string): Promise<boolean> {
  const verdict = judgeAudit(await npmAuditJson(root), acceptedAdvisories(readFileSync(join(root, 'docs/security.md'), 'utf8')));
  switch (verdict.kind) {
    case 'clean':
      console.log(
        `paystream: npm audit --omit=dev found no moderate or worse advisory${verdict.accepted.length > 0 ? ` beyond the accepted ${verdict.accepted.join(', ')}` : ''}`,
      );
      return true;
    case 'unavailable':
      console.log(
        `paystream: !!! audit unavailable from this registry (${verdict.reason}): dependencies were NOT checked for advisories in this run !!!`,
      );
      return true;
    case 'advisories':
      for (const f of verdict.findings) console.log(`paystream: npm audit: ${f}`);
      console.log('paystream: npm audit found advisories (fix them, or accept each in docs/security.md with a reason)');
      return false;
    case 'error':
      console.log(`paystream: npm audit failed: ${verdict.reason}`);
      return false;
  }
}
