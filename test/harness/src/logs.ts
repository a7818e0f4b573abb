// The workers' output after the fact: JSON lines from pino (plus the CLI's own plain lines), read
// back for what must never be there and for what the workers reported.
import { existsSync, readFileSync } from 'node:fs';

export interface LogLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** The parsed record, when the line is JSON. */
  readonly json?: Record<string, unknown>;
}

export function readLogLines(files: readonly string[]): LogLine[] {
  const out: LogLine[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (text === '') return;
        let json: Record<string, unknown> | undefined;
        try {
          const v: unknown = JSON.parse(text);
          if (v !== null && typeof v === 'object' && !Array.isArray(v)) json = v as Record<string, unknown>;
        } catch {
          // a plain line (the CLI's start-up banner, a crash trace)
        }
        out.push({ file, line: i + 1, text, ...(json ? { json } : {}) });
      });
  }
  return out;
}

/** Every line holding one of the needles (literal substrings). */
export function findInLogs(files: readonly string[], needles: readonly string[]): LogLine[] {
  return readLogLines(files).filter((l) => needles.some((n) => l.text.includes(n)));
}
