// What the worker counts, and the line each event earns in the log: a command's outcome, a
// reconciliation, a notification, a skipped order-state record, a breaker change, a Midtrans call;
// and the gauges read from the running parts at each scrape. Every label comes from a closed set.
import type { BreakerStateChange } from '@paystream/core';
import {
  INGRESS_OUTCOMES,
  outcomeLabel,
  REFUSAL_CODES,
  STATE_SKIP_REASONS,
  WorkerMetrics,
  type IngressEvent,
  type Outcome,
  type SkippedStateRecord,
} from '@paystream/runtime';
import { commandsInFlight } from './consumers.ts';
import type { OutcomeSummary } from './outcome-summary.ts';
import type { WorkerParts } from './tokens.ts';

type Metered = Pick<WorkerParts, 'metrics' | 'log'>;

/** The worker's metrics, timing every Midtrans call from the first. */
export function workerMetrics({ client }: Pick<WorkerParts, 'client'>): WorkerMetrics {
  const metrics = new WorkerMetrics();
  client.onCall((c) => metrics.midtransLatency.observe({ family: c.family, path: c.path, result: c.result }, c.durationMs / 1000));
  return metrics;
}

/** Counts a command's outcome by method (a loaded plugin's, else `unknown`) and adds it to the summary. */
export function outcomeCounter({
  metrics,
  plugins,
  log,
  summary,
}: Metered & { readonly plugins: ReadonlyMap<string, unknown>; readonly summary: OutcomeSummary }): (o: Outcome) => void {
  // Every code at 0 from the start, so that `increase()` in an alert sees a code's first refusal too.
  for (const code of REFUSAL_CODES) metrics.dlq.inc({ code }, 0);
  return (o) => {
    const method = plugins.has(o.method) ? o.method : 'unknown';
    const kind = outcomeLabel(o);
    if (o.kind === 'refused') metrics.dlq.inc({ code: o.code });
    metrics.commands.inc({ method, outcome: kind });
    if (o.latencyMs !== undefined) metrics.commandLatency.observe({ method }, o.latencyMs / 1000);
    summary.add(method, kind, o.latencyMs);
    // A line per command costs more CPU than the rest of its handling but the Midtrans call and the
    // signature; the metrics and the periodic summary carry the counts, refusals keep their line.
    if (o.kind === 'refused') log.info(o, 'command done');
    else log.debug(o, 'command done');
  };
}

/** Counts reconciler inquiries: `unchanged` while the order still waits, else the new status. */
export function reconciliationCounter({ metrics, log }: Metered): (e: { readonly orderId: string; readonly outcome: string }) => void {
  return (e) => {
    const unchanged = e.outcome.startsWith('still');
    metrics.reconcilerInquiries.inc({ outcome: unchanged ? 'unchanged' : (e.outcome.split(':')[0] ?? e.outcome) });
    if (unchanged) log.debug(e, 'reconciled');
    else log.info(e, 'reconciled');
  };
}

export function notificationCounter({ metrics, log }: Metered): (e: IngressEvent) => void {
  for (const outcome of INGRESS_OUTCOMES) metrics.notifications.inc({ outcome }, 0);
  return (e) => {
    metrics.notifications.inc({ outcome: e.outcome });
    // Refusals a client can repeat at will are counted, not logged one by one.
    if (e.outcome === 'rate-limited' || e.outcome === 'not-found') log.debug(e, 'notification');
    else log.info(e, 'notification');
  };
}

/** A bad state record is skipped, never read into an order: only where it is and why are logged. */
export function skippedStateRecordCounter({ metrics, log, names }: Metered & Pick<WorkerParts, 'names'>): (s: SkippedStateRecord) => void {
  for (const reason of STATE_SKIP_REASONS) metrics.stateRecordsSkipped.inc({ reason }, 0);
  return (skipped) => {
    metrics.stateRecordsSkipped.inc({ reason: skipped.reason });
    log.warn({ topic: names.orderState, ...skipped }, 'order-state record skipped');
  };
}

export function breakerGauge({ metrics, log }: Metered): (c: BreakerStateChange) => void {
  return (c) => {
    metrics.breakerOpen.set({ merchant: c.merchant, family: c.family }, c.state === 'closed' ? 0 : 1);
    log.warn(c, 'circuit breaker state changed');
  };
}

export type ScrapeSources = Pick<WorkerParts, 'metrics' | 'client' | 'plugins' | 'consumers' | 'orders' | 'reconciler' | 'pausing'>;

/** The gauges read from the running parts just before each scrape. */
export function collectOnScrape(s: ScrapeSources): void {
  const { metrics } = s;
  metrics.onScrape(() => {
    metrics.inFlight.set(commandsInFlight(s.consumers));
    metrics.orders.set(s.orders.size);
    metrics.reconcilerWaiting.set(s.reconciler.waiting);
    for (const method of s.plugins.keys()) metrics.paused.set({ method }, s.pausing.control.paused().includes(method) ? 1 : 0);
    metrics.consumerLag.reset();
    for (const c of s.consumers.values())
      for (const l of c.lag()) metrics.consumerLag.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
  });
}
