// scripts/release-schemas.ts: a released version's schemas are kept once, unchanged, and only when
// the version rule holds against the latest earlier snapshot.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRelease, releasedVersions, releaseSchemas } from '../scripts/release-schemas.ts';
import { jsonSchemas } from '../src/schemas.ts';

type Schema = Record<string, unknown> & { $defs: Record<string, { properties: Record<string, unknown>; required: string[] }> };

/** The current schemas, stating `version`, with `edit` applied to DlqRecord's schema. */
function schemasOf(version: string, edit: (dlq: Schema) => void = () => undefined): Record<string, unknown> {
  const schemas = structuredClone(jsonSchemas()) as Record<string, Schema>;
  for (const schema of Object.values(schemas)) schema['x-paystream-contract-version'] = version;
  edit(schemas['DlqRecord']!);
  return schemas;
}

describe('releasing a contract version', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'paystream-released-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the schemas under released/<version>/, one JSON file per message, and reads them back', async () => {
    expect(await releaseSchemas('1.1.0', schemasOf('1.1.0'), dir)).toEqual({ status: 'written', problems: [] });
    expect(releasedVersions(dir)).toEqual(['1.1.0']);
    expect(readRelease('1.1.0', dir)).toEqual(schemasOf('1.1.0'));
    expect(JSON.parse(readFileSync(join(dir, '1.1.0', 'ResultEvent.json'), 'utf8'))).toEqual(schemasOf('1.1.0')['ResultEvent']);
  });

  it('leaves a snapshot holding the same schemas as it is, and refuses to change one', async () => {
    await releaseSchemas('1.1.0', schemasOf('1.1.0'), dir);
    expect(await releaseSchemas('1.1.0', schemasOf('1.1.0'), dir)).toEqual({ status: 'unchanged', problems: [] });
    const changed = await releaseSchemas(
      '1.1.0',
      schemasOf('1.1.0', (s) => delete s.$defs['DlqRecord']!.properties['payloadMasked']),
      dir,
    );
    expect(changed.status).toBe('refused');
    expect(changed.problems.join()).toContain('a released version never changes');
    expect(readRelease('1.1.0', dir)).toEqual(schemasOf('1.1.0'));
  });

  it('refuses schemas that do not state the version being released', async () => {
    const outcome = await releaseSchemas('1.2.0', schemasOf('1.1.0'), dir);
    expect(outcome).toEqual({
      status: 'refused',
      problems: expect.arrayContaining(['DlqRecord does not state contract version 1.2.0']) as unknown,
    });
    expect(releasedVersions(dir)).toEqual([]);
  });

  it('refuses a breaking change without a major version, and takes it with one', async () => {
    await releaseSchemas('1.1.0', schemasOf('1.1.0'), dir);
    const removed = (version: string) => schemasOf(version, (s) => delete s.$defs['DlqRecord']!.properties['payloadMasked']);
    const outcome = await releaseSchemas('1.2.0', removed('1.2.0'), dir);
    expect(outcome.status).toBe('refused');
    expect(outcome.problems).toEqual([
      'DlqRecord.payloadMasked: property payloadMasked removed (breaking: needs version 2.0.0 or later, not 1.2.0)',
    ]);
    expect((await releaseSchemas('2.0.0', removed('2.0.0'), dir)).status).toBe('written');
    expect(releasedVersions(dir)).toEqual(['1.1.0', '2.0.0']);
  });

  it('checks an additive change against the latest earlier snapshot', async () => {
    await releaseSchemas('1.1.0', schemasOf('1.1.0'), dir);
    const added = (version: string) => schemasOf(version, (s) => (s.$defs['DlqRecord']!.properties['worker'] = { type: 'string' }));
    expect((await releaseSchemas('1.1.1', added('1.1.1'), dir)).problems).toEqual([
      'DlqRecord.worker: new optional property worker (additive: needs version 1.2.0 or later, not 1.1.1)',
    ]);
    expect((await releaseSchemas('1.2.0', added('1.2.0'), dir)).status).toBe('written');
  });
});
