// A BI-SNAP notification's X-TIMESTAMP must be within ±5 minutes of now: an older (or far future)
// one is refused before its signature is checked, so a captured notification cannot be replayed
// once the replay window has forgotten it.
import { parseSnapTimestamp } from '@paystream/core';

export const FRESHNESS_MS = 5 * 60_000;

export function isFresh(timestamp: string | undefined, now: number = Date.now()): boolean {
  const at = timestamp === undefined ? undefined : parseSnapTimestamp(timestamp);
  return at !== undefined && Math.abs(at.getTime() - now) <= FRESHNESS_MS;
}
