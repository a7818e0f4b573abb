// The error catalogue and its documentation stay in step: every code raised in the sources is in
// docs/errors.md, and every documented code is raised somewhere.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function codesIn(text: string): Set<string> {
  return new Set([...text.matchAll(/['"`](PS_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)+)['"`]/g)].map((m) => m[1] ?? ''));
}

describe('error catalogue', () => {
  it('documents exactly the codes the sources raise', () => {
    const raised = new Set<string>();
    for (const group of ['packages', 'plugins'].filter((g) => existsSync(join(root, g)))) {
      for (const dir of readdirSync(join(root, group)).map((d) => join(root, group, d, 'src'))) {
        if (!existsSync(dir)) continue;
        for (const file of sources(dir)) for (const c of codesIn(readFileSync(file, 'utf8'))) raised.add(c);
      }
    }
    const documented = new Set(
      [...readFileSync(join(root, 'docs/errors.md'), 'utf8').matchAll(/`(PS_ERR_[A-Z0-9_]+)`/g)].map((m) => m[1] ?? ''),
    );
    expect(raised.size).toBeGreaterThan(0);
    expect([...raised].filter((c) => !documented.has(c)).sort()).toEqual([]);
    expect([...documented].filter((c) => !raised.has(c)).sort()).toEqual([]);
  });
});
