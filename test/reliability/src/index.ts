// @paystream/reliability-tests: the figures every fault scenario reports, and where they are recorded.
export { assess, type AssessOptions, type ScenarioFigures } from './assess.ts';
export { scanLeaks, runSecrets, type LeakReport } from './leaks.ts';
export { clean, record, recordFailure, scale, sized, type RecordedRun, type Scale } from './record.ts';
