// Waiting for a condition of a running system, with a description that says what never happened.
import { setTimeout as sleep } from 'node:timers/promises';

export interface UntilOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}

/** Polls `check` until it returns a value other than undefined/false; throws `describe()` on timeout. */
export async function until<T>(
  check: () => T | false | undefined | Promise<T | false | undefined>,
  describe: () => string,
  { timeoutMs, intervalMs = 100 }: UntilOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`after ${String(timeoutMs)} ms: ${describe()}`);
    await sleep(intervalMs);
  }
}
