// docs/errors.md's table of codes, as the catalogue says it: written by `npm run docs:errors`,
// read back by test/workspace/errors.spec.ts, so the documentation cannot drift from the code.
import { errorCatalogue } from '@paystream/core';

export interface ErrorRow {
  readonly code: string;
  readonly class: string;
  readonly exit: string;
  readonly meaning: string;
}

const HEADER = ['code', 'class', 'exit', 'meaning'];

/** One row per code, in the catalogue's order. */
export function catalogueRows(): ErrorRow[] {
  return Object.entries(errorCatalogue).map(([code, e]) => ({
    code: `\`${code}\``,
    class: e.class,
    exit: String(e.exit),
    meaning: e.meaning,
  }));
}

/** The table in Markdown (unaligned: Prettier aligns it). */
export function renderTable(rows: readonly ErrorRow[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map((r) => line([r.code, r.class, r.exit, r.meaning]))].join('\n');
}

/** The rows of the first table whose header is the catalogue's, read from Markdown. */
export function readTable(markdown: string): ErrorRow[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => cellsOf(l).join('|') === HEADER.join('|'));
  if (start < 0) return [];
  const rows: ErrorRow[] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    const [code = '', cls = '', exit = '', meaning = ''] = cellsOf(l);
    rows.push({ code, class: cls, exit, meaning });
  }
  return rows;
}

/** Where the table starts and ends in the document: [first line, line after the last]. */
export function tableSpan(markdown: string): [number, number] | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => cellsOf(l).join('|') === HEADER.join('|'));
  if (start < 0) return undefined;
  let end = start;
  while (end < lines.length && (lines[end] ?? '').startsWith('|')) end++;
  return [start, end];
}

function cellsOf(line: string): string[] {
  if (!line.startsWith('|')) return [];
  return line
    .slice(1, line.endsWith('|') ? -1 : undefined)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}
