// The composition root: core, the chosen plugins and the runtime made into one worker — one consumer
// group per plugin, one batching idempotent producer, the order state and its reconciler, the
// notification ingress, pausing while Midtrans is unreachable or refuses our credentials — and its
// orderly shutdown. Each part is built in a file of its own; this one lists them in start order.
import { createCore, reloadOnSighup } from '@paystream/core';
import { refusePlainHttpExposure, startOperations } from '@paystream/runtime';
import { workerSettings, type WorkerOptions } from './config/worker-options.ts';
import { commandDispatcher } from './command-handling.ts';
import { commandConsumers, startConsumers } from './consumers.ts';
import { foundation } from './foundation.ts';
import { connectKafka } from './kafka.ts';
import * as metered from './metrics.ts';
import { openNotificationIngress } from './notification-ingress.ts';
import { logSummaries, OutcomeSummary } from './outcome-summary.ts';
import { pauseWhileMidtransRefuses } from './pausing.ts';
import { readinessOf } from './readiness.ts';
import { orderReconciler } from './reconciliation.ts';
import { shutDown } from './shutdown.ts';

export { ensureTopics, pluginTopics } from './kafka.ts';
export { selectPlugins } from './plugin-container.ts';
export type { WorkerOptions } from './config/worker-options.ts';

export interface RunningWorker {
  readonly plugins: readonly string[];
  /** The notification ingress' base URL, to register with Midtrans as the notification URL. */
  readonly ingressUrl: string;
  /** Where /healthz, /readyz and /metrics answer. */
  readonly operationsUrl: string;
  readonly publicKeys: () => { keyId: string; publicKeyPem: string }[];
  /** Each reason the worker is not ready; empty when it is. */
  readonly readiness: () => string[];
  /** Drains for at most `drainMs` (the options' drainTimeoutMs when absent), then closes everything. */
  stop(drainMs?: number): Promise<void>;
}

export async function runWorker(options: WorkerOptions): Promise<RunningWorker> {
  const settings = workerSettings(options);
  // Before anything connects: a worker that would expose plain HTTP does not start at all.
  refusePlainHttpExposure(settings.ingress);
  const core = await createCore(settings.core, settings.logger ? { logger: settings.logger } : {});
  const f = foundation(settings, core);
  const { kafka, producer, publisher, orders } = await connectKafka(f, metered.skippedStateRecordCounter(f));
  const consumers = commandConsumers(f, kafka, (m) => dispatcher.handle(m));
  const pausing = pauseWhileMidtransRefuses(f, consumers, metered.breakerGauge(f));
  const summary = new OutcomeSummary();
  const dispatcher = commandDispatcher(f, { publisher, orders }, pausing.credentials, metered.outcomeCounter(f, summary));
  metered.observeMidtransCalls(f);
  const reconciler = orderReconciler(f, orders, dispatcher, consumers, metered.reconciliationCounter(f));
  await startConsumers(consumers, reconciler);
  reconciler.start();
  const ingress = await openNotificationIngress(f, orders, dispatcher, metered.notificationCounter(f));
  const { control } = pausing;
  const readiness = readinessOf({ consumers, control, publisher, orders });
  metered.collectOnScrape(f, { consumers, orders, reconciler, control });
  const operations = await startOperations(f.metrics, readiness, settings.operations);
  const offSighup = reloadOnSighup(core.keyRing);
  const stopSummaries = logSummaries({ summary, intervalMs: settings.summaryIntervalMs, consumers, orders, log: f.log });
  const running = { stopSummaries, offSighup, pausing, reconciler, ingress, operations, consumers, orders, producer, core, log: f.log };
  const methods = f.plugins.map((p) => p.method);
  f.log.info({ plugins: methods, topicPrefix: f.names.prefix, ingress: ingress.url, operations: operations.url }, 'worker started');
  return {
    plugins: methods,
    ingressUrl: ingress.url,
    operationsUrl: operations.url,
    publicKeys: () => core.eventSigner.publicKeys(),
    readiness,
    stop: (drainMs = settings.drainTimeoutMs) => shutDown(running, drainMs),
  };
}
