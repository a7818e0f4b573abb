// Shared by the benchmarks: the result shape `npm run bench` renders into docs/BENCHMARKS.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchFigure {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly runs?: readonly number[];
  readonly baseline?: { readonly name: string; readonly value: number };
  readonly target?: { readonly minValue?: number; readonly minRatio?: number; readonly maxValue?: number };
  /** What the run measured about where the time or memory went; shown when the target is missed. */
  readonly why?: string;
}

export interface BenchResult {
  readonly suite: string;
  readonly title: string;
  readonly figures: readonly BenchFigure[];
  readonly notes?: readonly string[];
  /** When the suite ran (ISO 8601): a suite skipped by a quick run keeps its earlier figures. */
  readonly measuredAt?: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function writeResult(result: BenchResult): void {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${result.suite}.json`), `${JSON.stringify({ ...result, measuredAt: new Date().toISOString() }, null, 2)}\n`);
  for (const f of result.figures) {
    const ratio = f.baseline ? `  (${(f.value / f.baseline.value).toFixed(2)}× ${f.baseline.name})` : '';
    console.log(`  ${f.name}: ${f.value.toFixed(0)} ${f.unit}${ratio}`);
  }
}
