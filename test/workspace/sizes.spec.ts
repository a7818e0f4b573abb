// Rooms a newcomer can read: no source file under packages/ or plugins/ is over 250 lines and no
// function over 60, unless a `// size:` comment at the top of the file or function says why. The
// exceptions found are listed in the output.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFinding, MAX_FILE_LINES, MAX_FUNCTION_LINES, measure, workspaceSources } from './sizes.ts';

const root = join(import.meta.dirname, '../..');
const lines = (n: number, line = '  x++;'): string => Array.from({ length: n }, () => line).join('\n');
const fn = (bodyLines: number, above = ''): string => `${above}function big(): void {\n  let x = 0;\n${lines(bodyLines - 3)}\n}\n`;

describe('the size measure', () => {
  it('counts a function from its first line to its last, and a file by its lines', () => {
    expect(measure('a.ts', 'a.ts', fn(MAX_FUNCTION_LINES))).toEqual([]);
    expect(measure('a.ts', 'a.ts', fn(MAX_FUNCTION_LINES + 1))).toEqual([
      { where: 'a.ts:1 big', lines: 61, limit: 60, exception: undefined },
    ]);
    const arrow = `export const handler = async (): Promise<void> => {\n${lines(MAX_FUNCTION_LINES - 1, '  await 0;')}\n};\n`;
    expect(measure('a.ts', 'a.ts', arrow).map((f) => f.where)).toEqual(['a.ts:1 handler']);
    const file = `${lines(MAX_FILE_LINES + 1, 'export const a = 1;')}\n`;
    expect(measure('a.ts', 'a.ts', file)).toEqual([{ where: 'a.ts', lines: 251, limit: 250, exception: undefined }]);
  });

  it('takes a `// size:` comment with a reason above a function, inside its body, or at the top of the file as an exception', () => {
    expect(measure('a.ts', 'a.ts', fn(70, '// size: one table of routes, read top to bottom\n'))[0]?.exception).toBe(
      'one table of routes, read top to bottom',
    );
    const inside = fn(70).replace('{\n', '{\n  // size: the state machine reads as one switch\n');
    expect(measure('a.ts', 'a.ts', inside)[0]?.exception).toBe('the state machine reads as one switch');
    const file = `// What this is.\n// size: generated from the contract, never edited\nimport 'x';\n${lines(MAX_FILE_LINES, 'export const a = 1;')}\n`;
    expect(measure('a.ts', 'a.ts', file)[0]?.exception).toBe('generated from the contract, never edited');
  });

  it('takes no comment without a reason, nor one further down, as an exception', () => {
    expect(measure('a.ts', 'a.ts', fn(70, '// size:\n'))[0]?.exception).toBeUndefined();
    const below = fn(70).replace('let x = 0;', 'let x = 0;\n  // size: a comment in the middle says nothing about the function');
    expect(measure('a.ts', 'a.ts', below)[0]?.exception).toBeUndefined();
  });
});

describe('file and function sizes', () => {
  const files = workspaceSources(root);
  const findings = files.flatMap((path) => measure(path, relative(root, path), readFileSync(path, 'utf8')));

  it('measures the sources of every package and plugin, and none of their specs or tests', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.endsWith('packages/runtime/src/dispatch/dispatcher.ts'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.spec.ts') || f.includes('/test/'))).toEqual([]);
  });

  it(`keeps every file within ${String(MAX_FILE_LINES)} lines and every function within ${String(MAX_FUNCTION_LINES)}, or says why`, () => {
    const exceptions = findings.filter((f) => f.exception !== undefined);
    console.info(
      `size exceptions (${String(exceptions.length)}):\n${exceptions.map((f) => `  ${describeFinding(f)}: ${f.exception ?? ''}`).join('\n')}`,
    );
    expect(findings.filter((f) => f.exception === undefined).map(describeFinding)).toEqual([]);
  });
});
