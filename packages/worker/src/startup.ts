// The start, once every part is built and connected: the consumers join their groups, the reconciler
// follows what they own, key material reloads on SIGHUP and a summary is logged every interval. The
// ingress and the operations endpoint already listen; the stop undoes it all (shutdown.ts).
import { reloadOnSighup } from '@paystream/core';
import { followCommandKeys } from './command-keys.ts';
import { restartOnSighup, startConsumers } from './consumers.ts';
import { logSummaries } from './outcome-summary.ts';
import { shutDown } from './shutdown.ts';
import type { WorkerParts } from './tokens.ts';
import type { RunningWorker } from './worker.ts';

type Started =
  | 'settings'
  | 'log'
  | 'core'
  | 'keyRing'
  | 'commandKeys'
  | 'eventSigner'
  | 'plugins'
  | 'names'
  | 'summary'
  | 'consumers'
  | 'reconciler'
  | 'retention';

export async function startWorker(
  p: Pick<WorkerParts, Started | 'handovers' | 'pausing' | 'orders' | 'producer' | 'ingress' | 'operations' | 'readiness'>,
): Promise<RunningWorker> {
  const { settings, log, consumers, orders, ingress, operations } = p;
  // Before the groups are joined, so that the orders of each partition restored are scheduled as they are
  // applied; the walk over the orders the index held already waits until they are joined and restored.
  let joined!: () => void;
  p.reconciler.start(new Promise<void>((r) => (joined = r)).then(() => orders.fleet.restored()));
  await startConsumers([...consumers.values(), p.handovers], p.reconciler, orders.fleet, log);
  joined();
  p.retention.start();
  // Core's keys and the upstreams' command keys reload together on SIGHUP.
  const offKeys = followCommandKeys(p.commandKeys, reloadOnSighup(p.keyRing));
  // After the Kafka credentials' own SIGHUP reload (kafka.ts): a crashed Kafka client retries with them at once.
  const offRestarts = restartOnSighup(consumers, orders);
  const offSighup = (): void => {
    offKeys();
    offRestarts();
  };
  const stopSummaries = logSummaries({ summary: p.summary, intervalMs: settings.summaryIntervalMs, consumers, orders, log });
  const methods = [...p.plugins.keys()];
  log.info({ plugins: methods, topicPrefix: p.names.prefix, ingress: ingress.url, operations: operations.url }, 'worker started');
  return {
    plugins: methods,
    ingressUrl: ingress.url,
    operationsUrl: operations.url,
    publicKeys: () => p.eventSigner.publicKeys(),
    readiness: p.readiness,
    stop: (drainMs = settings.drainTimeoutMs) => shutDown({ ...p, stopSummaries, offSighup }, drainMs),
  };
}
