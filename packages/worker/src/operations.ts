// The operations endpoint: /healthz, /readyz with each reason the worker is not ready, and /metrics
// with the gauges read from the running parts, wired before it answers its first scrape. The one a
// wait for Kafka opened (kafka-admission.ts) is taken over, so the address stays the same.
import { startOperations } from '@paystream/runtime';
import { takeWaitingOperations } from './kafka-admission.ts';
import { collectHealth, type HealthSources } from './health-metrics.ts';
import { collectOnScrape, type ScrapeSources } from './metrics.ts';
import type { WorkerParts } from './tokens.ts';

export async function openOperations(p: ScrapeSources & HealthSources): Promise<WorkerParts['operations']> {
  collectOnScrape(p);
  collectHealth(p);
  const waiting = await takeWaitingOperations(p.settings.operations);
  if (!waiting) return startOperations(p.metrics, p.readiness, p.settings.operations);
  waiting.serve(p.readiness);
  return waiting;
}
