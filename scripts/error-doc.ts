// `npm run docs:errors`: rewrites the table of docs/errors.md from the error catalogue, then lets
// Prettier align it. The text around the table is the document's own.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueRows, renderTable, tableSpan } from '../tools/error-table.ts';

const file = join(import.meta.dirname, '../docs/errors.md');
const text = readFileSync(file, 'utf8');
const span = tableSpan(text);
if (!span) throw new Error('docs/errors.md has no table headed | code | class | exit | meaning |');
const lines = text.split('\n');
lines.splice(span[0], span[1] - span[0], renderTable(catalogueRows()));
writeFileSync(file, lines.join('\n'));
const prettier = spawnSync('npx', ['prettier', '--write', file], { stdio: 'inherit' });
process.exitCode = prettier.status ?? 1;
