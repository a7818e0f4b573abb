// The worker's memory as docs/BENCHMARKS.md last measured it, so the manifests' requests follow the
// measurements rather than a number copied once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './manifests.ts';

/** The highest resident size any benchmark reports for a worker (VmHWM figures and peak RSS), in MiB. */
export function measuredPeakMiB(file = join(root, 'docs/BENCHMARKS.md')): number {
  const text = readFileSync(file, 'utf8');
  const peaks = [...text.matchAll(/(?:worker RSS high-water mark \(VmHWM\)[^|\n]*\|\s*|peak RSS )(\d+) MiB/g)].map((m) => Number(m[1]));
  if (peaks.length === 0) throw new Error(`${file}: no worker memory figure found`);
  return Math.max(...peaks);
}
