// The operations endpoint: /healthz, /readyz with each reason the worker is not ready, and /metrics
// with the gauges read from the running parts, wired before it answers its first scrape.
import { startOperations } from '@paystream/runtime';
import { collectOnScrape, type ScrapeSources } from './metrics.ts';
import type { WorkerParts } from './tokens.ts';

export async function openOperations(p: ScrapeSources & Pick<WorkerParts, 'settings' | 'readiness'>): Promise<WorkerParts['operations']> {
  collectOnScrape(p);
  return startOperations(p.metrics, p.readiness, p.settings.operations);
}
