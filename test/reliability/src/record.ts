// Where scenario figures go: `npm run test:reliability` names a results file, and every scenario
// appends its figures there for docs/RELIABILITY.md; under `npm test` nothing is written, so CI
// never rewrites the committed report.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScenarioFigures } from './assess.ts';

/** A recorded run: the figures, which repetition of the suite it was, and whether it passed. */
export interface RecordedRun extends ScenarioFigures {
  readonly run: number;
  readonly scale: Scale;
  readonly passed: boolean;
  readonly at: string;
}

export type Scale = 'ci' | 'full';

/** `full` under `npm run test:reliability`; `ci` (sized to fit CI's time) otherwise. */
export const scale: Scale = process.env['RELIABILITY_SCALE'] === 'full' ? 'full' : 'ci';

/** The scenario's size at the current scale. */
export const sized = (ci: number, full: number): number => (scale === 'full' ? full : ci);

/** Whether the run is to be held to its figures: zero lost, duplicated, false successes, DLQ'd, unverified, leaked. */
export function clean(f: ScenarioFigures): boolean {
  return f.lost === 0 && f.duplicated === 0 && f.falseSuccesses === 0 && f.dlq === 0 && f.unverified === 0 && f.leaks === 0;
}

/** Appends the run's figures; returns what was written (undefined outside `npm run test:reliability`). */
export function record(figures: ScenarioFigures): RecordedRun | undefined {
  const file = process.env['RELIABILITY_RESULTS'];
  if (!file) return undefined;
  const run: RecordedRun = {
    ...figures,
    run: Number(process.env['RELIABILITY_RUN'] ?? 1),
    scale,
    passed: clean(figures),
    at: new Date().toISOString(),
  };
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(run)}\n`);
  return run;
}

/**
 * A scenario's assertions go beyond its figures (a breaker that never opened, a kill that came too
 * late): when one fails after the figures were recorded, the run is recorded again, not passed, with
 * the reason. The report keeps the last record of a run (same scenario, run and time).
 */
export function recordFailure(run: RecordedRun | undefined, reason: string): void {
  const file = process.env['RELIABILITY_RESULTS'];
  if (!file || !run) return;
  appendFileSync(
    file,
    `${JSON.stringify({ ...run, passed: false, problems: [`assertion failed: ${reason}`, ...run.problems].slice(0, 20) })}\n`,
  );
}
