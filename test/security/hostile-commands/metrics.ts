// The worker's /metrics read as Prometheus series: one line per name and label set. Node's own
// process metrics (`paystream_process_*`) are kept apart — the kinds of garbage collection run or of
// handles open change with the load, not with what the commands hold.
export interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** `name{labels}` exactly as exposed: the identity of the series. */
  readonly id: string;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a Prometheus series line: ${line.slice(0, 120)}`);
    const [, name = '', braces = '', value = ''] = m;
    const labels = Object.fromEntries([...braces.matchAll(LABEL)].map((l) => [l[1] ?? '', (l[2] ?? '').replace(/\\(.)/g, '$1')]));
    out.push({ name, labels, value: Number(value), id: `${name}${braces}` });
  }
  return out;
}

export const isProcessMetric = (s: Series): boolean => s.name.startsWith('paystream_process_');

/** The worker's own series (process metrics aside). */
export const applicationSeries = (text: string): Series[] => parseMetrics(text).filter((s) => !isProcessMetric(s));

/** Every label value of the exposition, process metrics included, with the series holding it. */
export function labelValues(text: string): { id: string; label: string; value: string }[] {
  return parseMetrics(text).flatMap((s) => Object.entries(s.labels).map(([label, value]) => ({ id: s.id, label, value })));
}

export function lagOf(text: string, topic: string): Map<number, number> {
  return new Map(
    parseMetrics(text)
      .filter((s) => s.name === 'paystream_consumer_lag' && s.labels['topic'] === topic)
      .map((s) => [Number(s.labels['partition']), s.value]),
  );
}

/** Commands sent to the DLQ since the worker started, all codes together. */
export const dlqTotal = (metrics: string): number =>
  parseMetrics(metrics)
    .filter((s) => s.name === 'paystream_dlq_total')
    .reduce((n, s) => n + s.value, 0);
