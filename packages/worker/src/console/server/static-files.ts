// The web shell's files: a fixed allow-list, read once at start. The front-end script is TypeScript
// in the source tree (type-checked and linted with the worker) and goes to the browser as JavaScript
// through Node's own type stripping: no build step, nothing fetched from elsewhere.
import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';

const WEB = join(import.meta.dirname, '..', 'web');

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/** Path served → file of web/, its type, and whether its types are stripped first. */
const ALLOWED: readonly (readonly [string, string, string, boolean])[] = [
  ['/', 'index.html', 'text/html; charset=utf-8', false],
  ['/console.css', 'console.css', 'text/css; charset=utf-8', false],
  ['/console.js', 'console.mts', 'text/javascript; charset=utf-8', true],
];

let cached: ReadonlyMap<string, StaticFile> | undefined;

/** The served files, read and stripped on first use and kept: they do not change while it runs. */
export function staticFiles(): ReadonlyMap<string, StaticFile> {
  cached ??= new Map(
    ALLOWED.map(([path, file, type, strip]) => {
      const text = readFileSync(join(WEB, file), 'utf8');
      return [path, { body: Buffer.from(strip ? stripTypeScriptTypes(text) : text, 'utf8'), type }];
    }),
  );
  return cached;
}
