// Waiting on the attacked partition, and saying precisely where it stopped when it does: the
// first offset the worker group has not committed, what was sent there, and the DLQ's answers so far.
import { until } from '@paystream/test-harness';
import { PARTITION } from './partition.ts';
import type { HostileRun } from './run.ts';
import type { Sent } from './sent.ts';

/** Valid and hostile alternating: no hostile command is ever far from a valid one behind it. */
export const interleave = <A, B>(a: readonly A[], b: readonly B[]): (A | B)[] =>
  Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]])
    .flat()
    .filter((x): x is A | B => x !== undefined);

/** What the partition is stuck on: the first record not committed, and the DLQ's problems so far. */
export async function whereStuck(run: HostileRun, sent: Sent): Promise<string> {
  const { committed, end } = await run.progress();
  // A group that never committed resumes from the partition's start: offset 0 here.
  const at = String(Math.max(committed, 0));
  const blocker = sent.hostile.get(at)?.name ?? (sent.valid.has(at) ? `valid charge ${sent.valid.get(at)?.command.orderId ?? ''}` : '?');
  const dlq = sent.problems().slice(0, 10);
  return `partition ${String(PARTITION)} committed up to ${at} of ${String(end)} (first unfinished: ${committed < end ? blocker : 'none'}); DLQ: ${dlq.join('; ') || 'as expected'}`;
}

/** Until the worker group committed every offset of the attacked partition. */
export async function settled(run: HostileRun, sent: Sent, timeoutMs: number): Promise<void> {
  let stuck = '';
  await until(
    async () => {
      const { committed, end } = await run.progress();
      if (committed === end) return true;
      stuck = await whereStuck(run, sent);
      return false;
    },
    () => stuck,
    { timeoutMs, intervalMs: 500 },
  );
}

/** The problems once they are gone, or as they stand after `timeoutMs`: records may still be on their way. */
export async function eventually(problems: () => string[], timeoutMs: number): Promise<string[]> {
  await until(
    () => problems().length === 0,
    () => 'problems remain',
    { timeoutMs, intervalMs: 500 },
  ).catch(() => undefined);
  return problems();
}
