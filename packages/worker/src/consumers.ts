// One consumer group per plugin on its command topic, each handling commands in key order; the
// reconciler runs its inquiries in the same key sequences, for the partitions this worker owns. Every
// group shares its partitions by the workers' instance ids (co-partitioned-assigner.ts), so a worker owns
// the same partitions of every command topic, and of the order state it then restores and follows.
import { hostname } from 'node:os';
import { PartitionAssigners, type PartitionAssigner } from 'kafkajs';
import {
  coPartitionedAssigner,
  KeyOrderedConsumer,
  type OrderReferences,
  type Reconciler,
  type StateFleet,
  type Topology,
} from '@paystream/runtime';
import type { WorkerParts } from './tokens.ts';

/**
 * How this worker's groups share partitions: by an id that stays the same when the worker restarts on
 * its host with its index (so it is given back the partitions its index holds); kafkajs' round robin
 * while a group still has members of a release without it.
 */
export function partitionAssigners(orders: Pick<OrderReferences, 'indexDir'>): PartitionAssigner[] {
  const instanceId = `${hostname()}:${orders.indexDir ?? String(process.pid)}`.slice(-255);
  return [coPartitionedAssigner(instanceId), PartitionAssigners.roundRobin];
}

/** The command consumers by plugin method. */
export type CommandConsumers = ReadonlyMap<string, KeyOrderedConsumer>;

export function commandConsumers({
  settings,
  names,
  plugins,
  log,
  kafka,
  handle,
  orders,
}: Pick<WorkerParts, 'settings' | 'names' | 'plugins' | 'log' | 'kafka' | 'handle' | 'orders'>): CommandConsumers {
  const assigners = partitionAssigners(orders);
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
        partitionAssigners: assigners,
        // A partition just taken over waits until its orders' state is restored here.
        ready: (partition) => orders.fleet.ready(partition),
      }),
    ]),
  );
}

/**
 * Joins every group. Each new assignment tells the order state which partitions this worker owns now
 * (all its groups together), and makes the reconciler look again at what it owns once they are restored.
 */
export async function startConsumers(
  groups: readonly KeyOrderedConsumer[],
  reconciler: Pick<Reconciler, 'rescan'>,
  fleet: Pick<StateFleet, 'own' | 'restored' | 'owned'>,
  log: WorkerParts['log'],
): Promise<void> {
  let owned = '';
  const assigned = (): void => {
    const partitions = [...new Set(groups.flatMap((c) => Object.values(c.assignment).flat()))].sort((a, b) => a - b);
    fleet.own(partitions);
    const now = fleet.owned;
    if (owned !== String(now)) log.info({ partitions: now }, 'order-state partitions owned');
    owned = String(now);
    reconciler.rescan();
    void fleet.restored().then(() => reconciler.rescan());
  };
  for (const c of groups) c.onAssignment(assigned);
  for (const c of groups) await c.start();
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
