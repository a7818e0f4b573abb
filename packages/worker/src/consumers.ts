// One consumer group per plugin on its command topic, each handling commands in key order; the
// reconciler runs its inquiries in the same key sequences, for the partitions this worker owns.
import { KeyOrderedConsumer, type OrderReferences, type Reconciler, type Topology } from '@paystream/runtime';
import type { WorkerParts } from './tokens.ts';

/** The command consumers by plugin method. */
export type CommandConsumers = ReadonlyMap<string, KeyOrderedConsumer>;

export function commandConsumers({
  settings,
  names,
  plugins,
  log,
  kafka,
  handle,
}: Pick<WorkerParts, 'settings' | 'names' | 'plugins' | 'log' | 'kafka' | 'handle'>): CommandConsumers {
  return new Map(
    [...plugins.values()].map((p) => [
      p.method,
      new KeyOrderedConsumer({
        kafka,
        groupId: names.group(p.method),
        topics: [names.commands(p.method)],
        maxInFlight: settings.maxInFlight,
        handle,
        onError: (err) => log.error({ err }, 'command handling failed'),
      }),
    ]),
  );
}

/** Joins every group; each new assignment makes the reconciler look again at what it owns. */
export async function startConsumers(consumers: CommandConsumers, reconciler: Pick<Reconciler, 'rescan'>): Promise<void> {
  for (const c of consumers.values()) c.onAssignment(() => reconciler.rescan());
  for (const c of consumers.values()) await c.start();
}

/** A SIGHUP (Kafka credentials read again) restarts a crashed consumer or order-state reader at once; returns the unsubscribe. */
export function restartOnSighup(consumers: CommandConsumers, orders: Pick<OrderReferences, 'wake'>): () => void {
  const wake = (): void => {
    for (const c of consumers.values()) c.wake();
    orders.wake();
  };
  process.on('SIGHUP', wake);
  return () => process.off('SIGHUP', wake);
}

/** The command partitions assigned to this worker now, by method. */
export function ownedPartitions(consumers: CommandConsumers, names: Topology): { method: string; partition: number }[] {
  return [...consumers].flatMap(([method, c]) => (c.assignment[names.commands(method)] ?? []).map((partition) => ({ method, partition })));
}

/** Runs a task in its order's key sequence on the consumer of the order's method; directly when there is none. */
export function inOrderSequence(
  consumers: CommandConsumers,
  orders: Pick<OrderReferences, 'get'>,
): (orderId: string, task: () => Promise<void>) => Promise<void> {
  return (orderId: string, task: () => Promise<void>): Promise<void> =>
    consumers.get(orders.get(orderId).method ?? '')?.submit(orderId, task) ?? task();
}

export const commandsInFlight = (consumers: CommandConsumers): number => [...consumers.values()].reduce((n, c) => n + c.inFlight, 0);

export const commandLag = (consumers: CommandConsumers): number =>
  [...consumers.values()].reduce((n, c) => n + c.lag().reduce((m, l) => m + l.lag, 0), 0);
