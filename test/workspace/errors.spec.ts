// The error catalogue is closed: codes are named only through it (a `PS_ERR_` literal outside
// packages/core/src/error-catalogue/ fails here), every code is raised or refused somewhere, and
// docs/errors.md says what the catalogue says. Specs may spell codes out: they pin the wire values.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, errorMessage, PaystreamError, codes } from '@paystream/core';
import { catalogueRows, readTable } from '../../tools/error-table.ts';

const root = join(import.meta.dirname, '../..');
const CATALOGUE_DIR = 'packages/core/src/error-catalogue/';
/** The client package's generated copy of its rows (client-generated.spec.ts keeps it equal). */
const CLIENT_COPY = 'packages/client/src/generated/errors.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Production and tooling sources: every package's and plugin's src/ and test helpers, tools/ and scripts/. */
function productionSources(): string[] {
  const dirs = ['tools', 'scripts'].map((d) => join(root, d));
  for (const group of ['packages', 'plugins', 'infra'].filter((g) => existsSync(join(root, g))))
    for (const d of readdirSync(join(root, group))) dirs.push(join(root, group, d, 'src'), join(root, group, d, 'test'));
  return dirs.filter((d) => existsSync(d)).flatMap(sources);
}

/** A code spelled out, except as `codes.PS_ERR_…` (the catalogue's own names). */
const LITERAL = /(?<!codes\.)\bPS_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*/g;

describe('error catalogue', () => {
  const files = productionSources().map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));

  it('is the only place a PS_ERR_ code is spelled out', () => {
    const outside = files
      .filter((f) => !f.path.startsWith(CATALOGUE_DIR) && f.path !== CLIENT_COPY)
      .flatMap((f) => [...f.text.matchAll(LITERAL)].map((m) => `${f.path}: ${m[0]}`));
    expect(files.length).toBeGreaterThan(100);
    expect(outside).toEqual([]);
  });

  it('holds no code that nothing raises or refuses', () => {
    const used = new Set(files.flatMap((f) => [...f.text.matchAll(/\bcodes\.(PS_ERR_[A-Z0-9_]+)/g)].map((m) => m[1])));
    expect(Object.keys(errorCatalogue).filter((c) => !used.has(c))).toEqual([]);
  });

  it('is what docs/errors.md documents, row for row', () => {
    const documented = readTable(readFileSync(join(root, 'docs/errors.md'), 'utf8'));
    expect(documented.length).toBeGreaterThan(0);
    expect(documented).toEqual(catalogueRows());
  });

  it('fills every placeholder of a template and gives each error its class and exit status', () => {
    const e = new PaystreamError(codes.PS_ERR_COMMAND_UNSUPPORTED, { method: 'gopay', type: 'payment.approve' });
    expect(e.message).toBe('gopay does not support payment.approve');
    expect([e.errorClass, e.exitStatus]).toEqual(['invalid', 65]);
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      const names = [...entry.message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
      const message = errorMessage(code as keyof typeof errorCatalogue, Object.fromEntries(names.map((n) => [n, `<${n}>`])) as never);
      expect(message, code).not.toMatch(/\{\w+\}/);
      expect(entry.meaning.length, code).toBeGreaterThan(10);
    }
  });
});
