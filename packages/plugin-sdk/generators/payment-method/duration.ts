// `--pending-timeout=24h`: a duration as an author says it, the milliseconds the plugin declares, and
// the expression that declares them so the rendered line reads as the option did (`24 * 60 * 60_000`).

const UNITS = {
  s: { ms: 1_000, factor: '1_000', word: 'second' },
  m: { ms: 60_000, factor: '60_000', word: 'minute' },
  h: { ms: 3_600_000, factor: '60 * 60_000', word: 'hour' },
  d: { ms: 86_400_000, factor: '24 * 60 * 60_000', word: 'day' },
} as const;
type Unit = keyof typeof UNITS;

export const DURATION = /^([1-9]\d{0,5})([smhd])$/;

export interface Duration {
  readonly ms: number;
  /** e.g. `24 * 60 * 60_000`. */
  readonly expression: string;
  /** e.g. `24 hours`. */
  readonly words: string;
}

/** The duration `15m`, `2h` or `7d` says, or undefined when it is not one. */
export function parseDuration(text: string): Duration | undefined {
  const m = DURATION.exec(text.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const count = Number(m[1]);
  const unit = UNITS[m[2] as Unit];
  return {
    ms: count * unit.ms,
    expression: count === 1 ? unit.factor : `${String(count)} * ${unit.factor}`,
    words: `${String(count)} ${unit.word}${count === 1 ? '' : 's'}`,
  };
}
