// The period an operator asks for, and the span of result events read for it. A result is published
// after Midtrans made the transaction — the customer pays minutes or hours later — so results are
// read past the period's end by a margin; and a little before its start, for clocks that disagree.
import { UsageError } from '../args.ts';
import type { Period } from './differences.ts';

/** Results are read from this long before the period: the clocks of Midtrans and the workers may differ. */
export const LEAD_MS = 5 * 60_000;
/** The default margin: a day, the longest a payment of the default methods stays pending (a virtual account). */
export const DEFAULT_MARGIN = '24h';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseTime(value: string, flag: string): number {
  const ms = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`${flag} is a time with its zone, e.g. 2026-03-01T00:00:00+07:00`);
  return ms;
}

/** `90m`, `24h`, `7d`, `0`. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d{1,6})([smhd]?)$/.exec(value);
  if (!m || (m[2] === '' && m[1] !== '0')) throw new UsageError(`${flag} is a duration such as 90m, 24h or 7d`);
  return Number(m[1]) * (UNITS[m[2] ?? ''] ?? 0);
}

export interface Span {
  readonly period: Period;
  /** The result events read: [period.from − LEAD_MS, min(period.to + margin, now)). */
  readonly results: { readonly fromMs: number; readonly toMs: number };
}

export function spanOf(from: string, to: string, margin: string, nowMs: number): Span {
  const fromMs = parseTime(from, '--from');
  const toMs = parseTime(to, '--to');
  if (toMs <= fromMs) throw new UsageError('--to must be after --from');
  if (fromMs >= nowMs) throw new UsageError('--from is in the future: there is nothing to reconcile yet');
  const marginMs = parseDuration(margin, '--margin');
  return { period: { fromMs, toMs }, results: { fromMs: fromMs - LEAD_MS, toMs: Math.min(toMs + marginMs, nowMs) } };
}
