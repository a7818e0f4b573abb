// A run is recorded before its assertions, so a failing run is in the report too — and recorded
// again, not passed, when an assertion beyond its figures fails.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioFigures } from './assess.ts';
import { record, recordFailure, type RecordedRun } from './record.ts';

const figures: ScenarioFigures = {
  scenario: 'demo',
  commands: 1,
  orders: 1,
  results: 2,
  charges: 1,
  lost: 0,
  duplicated: 0,
  falseSuccesses: 0,
  dlq: 0,
  unverified: 0,
  leaks: 0,
  durationMs: 1,
  faults: [],
  problems: [],
};
const dir = mkdtempSync(join(tmpdir(), 'paystream-record-'));
const lines = (file: string): RecordedRun[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RecordedRun);

// `npm run test:reliability` names its results file in the environment: these tests must neither
// see it nor write into it.
const results = process.env['RELIABILITY_RESULTS'];

beforeEach(() => {
  delete process.env['RELIABILITY_RESULTS'];
});

afterEach(() => {
  if (results === undefined) delete process.env['RELIABILITY_RESULTS'];
  else process.env['RELIABILITY_RESULTS'] = results;
});

describe('record', () => {
  it('writes nothing outside npm run test:reliability', () => {
    expect(record(figures)).toBeUndefined();
    expect(() => recordFailure(undefined, 'x')).not.toThrow();
  });

  it('records a clean run as passed, and again as not passed with the reason when an assertion fails', () => {
    const file = join(dir, 'runs.jsonl');
    process.env['RELIABILITY_RESULTS'] = file;
    const run = record(figures);
    recordFailure(run, 'the breaker never opened');
    const [first, again] = lines(file);
    expect(first).toMatchObject({ scenario: 'demo', passed: true });
    expect(again).toMatchObject({
      scenario: 'demo',
      run: first?.run,
      at: first?.at,
      passed: false,
      problems: ['assertion failed: the breaker never opened'],
    });
    rmSync(dir, { recursive: true, force: true });
  });
});
