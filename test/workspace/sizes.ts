// How big the rooms are: the source files under packages/ and plugins/ (specs, test folders and
// generator templates are not counted), their lines and those of every function in them, and the
// `// size:` comments that say why one may be bigger than the limits.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export const MAX_FILE_LINES = 250;
export const MAX_FUNCTION_LINES = 60;
/** An exception names its reason: `// size: <why>`, with a reason of a few words at least. */
const EXCEPTION = /^\/\/\s*size:\s*(\S.{8,})$/;
const SOURCE = /\.(?:ts|tsx|mts|cts)$/;
const NOT_SOURCE = /\.(?:spec|test)\.[cm]?tsx?$|\.d\.[cm]?ts$/;
const SKIPPED_DIRS = new Set(['node_modules', 'test', 'dist', 'coverage']);

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : sourceFiles(path);
    return SOURCE.test(e.name) && !NOT_SOURCE.test(e.name) ? [path] : [];
  });
}

/** The reason of the first `// size:` comment among the comments at `pos`, if there is one. */
function exceptionAt(text: string, pos: number): string | undefined {
  for (const range of ts.getLeadingCommentRanges(text, pos) ?? []) {
    const reason = EXCEPTION.exec(text.slice(range.pos, range.end).trim())?.[1];
    if (reason) return reason;
  }
  return undefined;
}

type FunctionNode = ts.FunctionLikeDeclaration;

const isFunction = (n: ts.Node): n is FunctionNode =>
  ts.isFunctionDeclaration(n) ||
  ts.isMethodDeclaration(n) ||
  ts.isConstructorDeclaration(n) ||
  ts.isGetAccessorDeclaration(n) ||
  ts.isSetAccessorDeclaration(n) ||
  ts.isArrowFunction(n) ||
  ts.isFunctionExpression(n);

/** Where a function's name is read: declared, or the variable, property or argument it is given to. */
function nameOf(fn: FunctionNode, file: ts.SourceFile): string {
  if (fn.name) return fn.name.getText(file);
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(file);
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  return '(anonymous)';
}

/**
 * A function's exception: a `// size:` comment above it (or above the statement, property or
 * argument that holds it), or as the first thing in its body.
 */
function functionException(fn: FunctionNode, text: string): string | undefined {
  for (let n: ts.Node = fn; !ts.isSourceFile(n) && !ts.isBlock(n) && !ts.isClassLike(n); n = n.parent) {
    const reason = exceptionAt(text, n.getFullStart());
    if (reason) return reason;
  }
  return fn.body && ts.isBlock(fn.body) ? exceptionAt(text, fn.body.statements.pos) : undefined;
}

export interface Finding {
  readonly where: string;
  readonly lines: number;
  readonly limit: number;
  readonly exception: string | undefined;
}

/** What is over a limit in one file, `name` being how the file is named in findings. */
export function measure(path: string, name: string, text: string): Finding[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line + 1;
  const findings: Finding[] = [];
  const fileLines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  if (fileLines > MAX_FILE_LINES)
    findings.push({
      where: name,
      lines: fileLines,
      limit: MAX_FILE_LINES,
      exception: exceptionAt(text, text.startsWith('#!') ? text.indexOf('\n') + 1 : 0),
    });
  const visit = (n: ts.Node): void => {
    if (isFunction(n)) {
      const lines = lineOf(n.getEnd()) - lineOf(n.getStart(file)) + 1;
      if (lines > MAX_FUNCTION_LINES)
        findings.push({
          where: `${name}:${String(lineOf(n.getStart(file)))} ${nameOf(n, file)}`,
          lines,
          limit: MAX_FUNCTION_LINES,
          exception: functionException(n, text),
        });
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return findings;
}

/** The source files of every package and plugin. */
export function workspaceSources(root: string): string[] {
  return ['packages', 'plugins']
    .flatMap((group) =>
      readdirSync(join(root, group), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(root, group, e.name)),
    )
    .flatMap(sourceFiles);
}

export const describeFinding = (f: Finding): string => `${f.where}: ${String(f.lines)} lines (limit ${String(f.limit)})`;
