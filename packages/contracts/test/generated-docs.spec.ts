// docs/schemas/*.json and docs/asyncapi.yaml must equal what the zod schemas generate.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docsDir, renderedDocuments } from '../scripts/generate.ts';

describe('generated documents', () => {
  it('are up to date (regenerate with: node packages/contracts/scripts/generate.ts)', () => {
    for (const [file, text] of Object.entries(renderedDocuments())) {
      const path = join(docsDir, file);
      expect(existsSync(path), `${file} is missing`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${file} is stale`).toBe(text);
    }
  });

  it('form an AsyncAPI 3 document whose message payloads point at the generated schemas', () => {
    const doc = parse(readFileSync(join(docsDir, 'asyncapi.yaml'), 'utf8')) as {
      asyncapi: string;
      components: { messages: Record<string, { payload: { $ref: string } }> };
    };
    expect(doc.asyncapi).toBe('3.0.0');
    for (const m of Object.values(doc.components.messages)) expect(existsSync(join(docsDir, m.payload.$ref))).toBe(true);
  });
});
