// How CI judges `npm audit --omit=dev`: a registry without the advisories endpoint is "unavailable"
// (reported, not failed); moderate and worse advisories fail unless docs/security.md accepts them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptedAdvisories, judgeAudit } from './audit.ts';

const root = join(import.meta.dirname, '../../../..');
const bulk = 'https://registry.example/-/npm/v1/security/advisories/bulk';
const notServed = (statusCode: number): string =>
  JSON.stringify({ message: `${String(statusCode)} - POST ${bulk}`, method: 'POST', uri: bulk, statusCode, body: '' });

function report(...advisories: { id: string; severity: string }[]): string {
  const vulnerabilities = Object.fromEntries(
    advisories.map((a, i) => [
      `pkg-${String(i)}`,
      {
        name: `pkg-${String(i)}`,
        severity: a.severity,
        via: [
          {
            source: 1000 + i,
            name: `pkg-${String(i)}`,
            title: 'Prototype pollution',
            url: `https://github.com/advisories/${a.id}`,
            severity: a.severity,
          },
        ],
      },
    ]),
  );
  return JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: {} });
}

const A = 'GHSA-2345-6789-cfgh';
const B = 'GHSA-jmpq-rvwx-2345';

describe('npm audit verdicts', () => {
  it('calls a registry that refuses the advisories endpoint "unavailable", and nothing else', () => {
    expect(judgeAudit(notServed(405), [])).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('HTTP 405') as unknown });
    expect(judgeAudit(notServed(404), []).kind).toBe('unavailable');
    expect(judgeAudit(notServed(500), []).kind).toBe('error');
    expect(
      judgeAudit(
        JSON.stringify({
          message: 'request to https://registry.example failed',
          statusCode: 405,
          uri: 'https://registry.example/left-pad',
        }),
        [],
      ).kind,
    ).toBe('error');
    expect(judgeAudit('', []).kind).toBe('error');
    expect(judgeAudit('{}', []).kind).toBe('error');
  });

  it('fails on moderate, high and critical advisories, not on low ones', () => {
    expect(judgeAudit(report(), [])).toEqual({ kind: 'clean', accepted: [] });
    expect(judgeAudit(report({ id: A, severity: 'low' }, { id: B, severity: 'info' }), []).kind).toBe('clean');
    for (const severity of ['moderate', 'high', 'critical']) {
      expect(judgeAudit(report({ id: A, severity }), [])).toEqual({
        kind: 'advisories',
        findings: [`${severity} ${A} in pkg-0: Prototype pollution`],
      });
    }
  });

  it('lets an advisory pass only when docs/security.md accepts it by id', () => {
    const doc = `# x\n\n## Accepted \`npm audit\` findings\n\n| advisory | package | why |\n| --- | --- | --- |\n| [${A}](https://github.com/advisories/${A}) | pkg-0 | dev only |\n\n## Next\n\n| ${B} | elsewhere |\n`;
    expect(acceptedAdvisories(doc)).toEqual([A]);
    expect(judgeAudit(report({ id: A, severity: 'high' }), acceptedAdvisories(doc))).toEqual({ kind: 'clean', accepted: [A] });
    expect(judgeAudit(report({ id: A, severity: 'high' }, { id: B, severity: 'moderate' }), acceptedAdvisories(doc)).kind).toBe(
      'advisories',
    );
  });

  it('reads the accepted findings of the real docs/security.md', () => {
    const doc = readFileSync(join(root, 'docs/security.md'), 'utf8');
    expect(doc).toContain('## Accepted `npm audit` findings');
    for (const id of acceptedAdvisories(doc)) expect(id).toMatch(/^GHSA-/);
  });
});
