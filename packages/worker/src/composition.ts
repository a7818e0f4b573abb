// The worker's bill of materials: one container holding its settings, core's services, the chosen
// plugins, the metrics, the Kafka side and the runtime's parts, each bound once and resolved by the
// parts made from it. Resolving `worker` builds, connects and starts the whole worker (startup.ts).
import { createCore } from '@paystream/core';
import { PAYMENT_METHOD_PLUGIN, pluginRegistry, type PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { topology } from '@paystream/runtime';
import { Container } from 'inversify';
import type { WorkerSettings } from './config/worker-options.ts';
import { commandDispatcher } from './command-handling.ts';
import { openCommandKeys } from './command-keys.ts';
import { commandConsumers } from './consumers.ts';
import { handoverConsumer, notificationHandover } from './handovers.ts';
import { connectKafka } from './kafka.ts';
import * as metered from './metrics.ts';
import { openNotificationIngress } from './notification-ingress.ts';
import { openOperations } from './operations.ts';
import { OutcomeSummary } from './outcome-summary.ts';
import { pauseWhileMidtransRefuses } from './pausing.ts';
import { loadPlugins } from './plugin-container.ts';
import { readinessOf } from './readiness.ts';
import { orderReconciler } from './reconciliation.ts';
import { orderRetention } from './retention.ts';
import { startWorker } from './startup.ts';
import { TOKENS, type WorkerParts } from './tokens.ts';

type Part = <K extends keyof WorkerParts, D extends keyof WorkerParts>(
  name: K,
  uses: readonly D[],
  build: (parts: Pick<WorkerParts, NoInfer<D>>) => WorkerParts[K] | Promise<WorkerParts[K]>,
) => void;

/** Binds a part to what `build` makes of the parts it uses, each resolved from the container by name. */
function partsOf(container: Container): Part {
  return <K extends keyof WorkerParts, D extends keyof WorkerParts>(
    name: K,
    uses: readonly D[],
    build: (parts: Pick<WorkerParts, D>) => WorkerParts[K] | Promise<WorkerParts[K]>,
  ) => {
    const named = (values: unknown[]): Pick<WorkerParts, D> =>
      Object.fromEntries(uses.map((u, i) => [u, values[i]])) as Pick<WorkerParts, D>;
    container.bind(TOKENS[name]).toResolvedValue(
      (...values: unknown[]) => build(named(values)),
      uses.map((u) => TOKENS[u]),
    );
  };
}

export function workerContainer(settings: WorkerSettings): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const part = partsOf(container);
  container.bind(TOKENS.settings).toConstantValue(settings);
  coreParts(part);
  pluginParts(container, settings.plugins);
  meteredParts(part);
  kafkaParts(part);
  runtimeParts(container, part);
  return container;
}

/** Core opens first: every key and certificate is read and checked before anything connects. */
function coreParts(part: Part): void {
  part('core', ['settings'], ({ settings: s }) => createCore(s.core, s.logger ? { logger: s.logger } : {}));
  part('log', ['core'], ({ core }) => core.logger);
  part('keyRing', ['core'], ({ core }) => core.keyRing);
  part('client', ['core'], ({ core }) => core.client);
  part('verifier', ['core'], ({ core }) => core.verifier);
  part('eventSigner', ['core'], ({ core }) => core.eventSigner);
  part('fieldCipher', ['core'], ({ core }) => core.fieldCipher);
  part('commandKeys', ['settings', 'keyRing', 'plugins', 'log'], openCommandKeys);
}

/** Each chosen plugin's module binds its declaration; the registry checks them together. */
function pluginParts(container: Container, names: readonly string[] | undefined): void {
  loadPlugins(container, names);
  container
    .bind(TOKENS.plugins)
    .toResolvedValue(
      (plugins: PaymentMethodPlugin[]) => pluginRegistry(plugins),
      [{ serviceIdentifier: PAYMENT_METHOD_PLUGIN, isMultiple: true }],
    );
}

/** The metrics and what each event earns in them and in the log. */
function meteredParts(part: Part): void {
  part('metrics', ['client'], metered.workerMetrics);
  part('summary', [], () => new OutcomeSummary());
  part('onOutcome', ['metrics', 'log', 'plugins', 'summary'], metered.outcomeCounter);
  part('onReconciled', ['metrics', 'log'], metered.reconciliationCounter);
  part('onNotification', ['metrics', 'log'], metered.notificationCounter);
  part('onSkippedRecord', ['metrics', 'log', 'names'], metered.skippedStateRecordCounter);
  part('onBreakerChange', ['metrics', 'log'], metered.breakerGauge);
}

/** Kafka connects once core is open: the plugins' topics, the producer and the order state read to its end. */
function kafkaParts(part: Part): void {
  part('names', ['settings'], ({ settings: s }) => topology(s.topicPrefix));
  part('connection', ['settings', 'names', 'plugins', 'log', 'onSkippedRecord', 'metrics'], connectKafka);
  part('kafka', ['connection'], ({ connection }) => connection.kafka);
  part('producer', ['connection'], ({ connection }) => connection.producer);
  part('publisher', ['connection'], ({ connection }) => connection.publisher);
  part('orders', ['connection'], ({ connection }) => connection.orders);
}

/** The runtime's parts, and the worker they make once started. */
function runtimeParts(container: Container, part: Part): void {
  // Looked up when a command arrives: the dispatcher reports refused credentials to the pausing,
  // which pauses these very consumers, so the consumers are built first.
  container.bind(TOKENS.handle).toFactory((context) => {
    let dispatcher: WorkerParts['dispatcher'] | undefined;
    return (m) => (dispatcher ??= context.get(TOKENS.dispatcher)).handle(m);
  });
  part('consumers', ['settings', 'names', 'plugins', 'log', 'kafka', 'handle', 'orders'], commandConsumers);
  part('pausing', ['keyRing', 'client', 'plugins', 'settings', 'log', 'consumers', 'onBreakerChange'], pauseWhileMidtransRefuses);
  const fromCore = ['keyRing', 'client', 'eventSigner', 'fieldCipher', 'commandKeys'] as const;
  part(
    'dispatcher',
    [...fromCore, 'plugins', 'names', 'settings', 'log', 'publisher', 'orders', 'pausing', 'onOutcome'],
    commandDispatcher,
  );
  part('reconciler', ['settings', 'plugins', 'names', 'orders', 'dispatcher', 'consumers', 'onReconciled'], orderReconciler);
  part('retention', ['settings', 'names', 'orders', 'consumers', 'metrics', 'log'], orderRetention);
  part('readiness', ['settings', 'consumers', 'handovers', 'pausing', 'publisher', 'orders'], ({ settings, consumers, handovers, ...p }) =>
    readinessOf({ ...p, consumers: new Map([...consumers, ['notification handover', handovers]]), security: settings.kafkaSecurity }),
  );
  part('handover', ['names', 'orders', 'plugins', 'publisher'], notificationHandover);
  part(
    'ingress',
    ['settings', 'verifier', 'plugins', 'log', 'orders', 'dispatcher', 'onNotification', 'handover'],
    openNotificationIngress,
  );
  part('handovers', ['settings', 'names', 'kafka', 'orders', 'consumers', 'ingress', 'log'], handoverConsumer);
  const scraped = ['client', 'core', 'keyRing', 'plugins', 'consumers', 'orders', 'reconciler', 'pausing'] as const;
  part('operations', ['settings', 'metrics', 'readiness', ...scraped], openOperations);
  const stopped = [
    'core',
    'producer',
    'orders',
    'consumers',
    'handovers',
    'reconciler',
    'retention',
    'pausing',
    'ingress',
    'operations',
  ] as const;
  part(
    'worker',
    ['settings', 'log', 'keyRing', 'commandKeys', 'eventSigner', 'plugins', 'names', 'summary', 'readiness', ...stopped],
    startWorker,
  );
}
