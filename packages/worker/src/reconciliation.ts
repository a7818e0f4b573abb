// The reconciler over the worker's parts: it follows the orders waiting for their outcome on the
// command partitions this worker owns, and asks about each in its order's key sequence.
import { Reconciler } from '@paystream/runtime';
import { inOrderSequence, ownedPartitions } from './consumers.ts';
import type { WorkerParts } from './tokens.ts';

export function orderReconciler({
  settings,
  plugins,
  names,
  orders,
  dispatcher,
  consumers,
  onReconciled,
}: Pick<WorkerParts, 'settings' | 'plugins' | 'names' | 'orders' | 'dispatcher' | 'consumers' | 'onReconciled'>): Reconciler {
  return new Reconciler({
    orders,
    plugins,
    updates: dispatcher.updates,
    ...settings.reconciler,
    owned: () => ownedPartitions(consumers, names),
    run: inOrderSequence(consumers, orders),
    onEvent: onReconciled,
  });
}
