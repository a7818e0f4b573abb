// The reconciliation's gauges as a Prometheus textfile, for node-exporter's textfile collector: a
// one-shot command has no endpoint to scrape, so it leaves its numbers in a file until the next run.
// Written beside the target and renamed over it, so the collector never reads half a file.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { codes, createError } from '@paystream/core';
import { DIFFERENCE_KINDS, type DifferenceKind } from './differences.ts';

export interface RunFigures {
  readonly counts: Readonly<Record<DifferenceKind, number>>;
  readonly unverifiable: number;
  readonly finishedAtMs: number;
}

export function metricsText(f: RunFigures): string {
  return [
    '# HELP paystream_reconciliation_differences Differences between Midtrans and Paystream the last reconciliation found, by kind.',
    '# TYPE paystream_reconciliation_differences gauge',
    ...DIFFERENCE_KINDS.map((kind) => `paystream_reconciliation_differences{kind="${kind}"} ${String(f.counts[kind])}`),
    '# HELP paystream_reconciliation_unverifiable_results Result events the last reconciliation read whose signature did not verify.',
    '# TYPE paystream_reconciliation_unverifiable_results gauge',
    `paystream_reconciliation_unverifiable_results ${String(f.unverifiable)}`,
    '# HELP paystream_reconciliation_last_run_timestamp_seconds When the last reconciliation finished.',
    '# TYPE paystream_reconciliation_last_run_timestamp_seconds gauge',
    `paystream_reconciliation_last_run_timestamp_seconds ${String(Math.floor(f.finishedAtMs / 1000))}`,
    '',
  ].join('\n');
}

export function writeMetricsFile(file: string, figures: RunFigures): void {
  const temporary = `${file}.${String(process.pid)}.tmp`;
  try {
    writeFileSync(temporary, metricsText(figures), { mode: 0o644 });
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    const reason = (err as NodeJS.ErrnoException).code ?? 'the write failed';
    throw createError(codes.PS_ERR_RECONCILE_METRICS_UNWRITABLE, { file, reason }, { cause: err });
  }
}
