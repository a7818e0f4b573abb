// Contract 1.2.0 added one message, the audit event, and changed nothing a reader of 1.1.0 relies on.
import { describe, expect, it } from 'vitest';
import { checkRelease, compareDocuments } from '../src/compatibility.ts';
import { readRelease } from '../scripts/release-schemas.ts';

describe('contract 1.2.0', () => {
  it('went from 1.1.0 by adding the AuditEvent message, and nothing else', () => {
    const result = compareDocuments(readRelease('1.1.0'), readRelease('1.2.0'));
    expect(result.breaking).toEqual([]);
    expect(result.additive.map(({ path, rule }) => ({ path, rule }))).toEqual([{ path: 'AuditEvent', rule: 'schema-added' }]);
    expect(checkRelease('1.1.0', '1.2.0', result)).toEqual([]);
    expect(checkRelease('1.1.0', '1.1.1', result)).toHaveLength(1);
  });

  it('counts a message no longer published as breaking', () => {
    const { AuditEvent: _gone, ...without } = readRelease('1.2.0');
    const result = compareDocuments(readRelease('1.2.0'), without);
    expect(result.breaking.map((c) => c.rule)).toEqual(['schema-removed']);
  });
});
