// The reconciler over the worker's parts: it follows the orders waiting for their outcome on the
// command partitions this worker owns, and asks about each in its order's key sequence.
import { Reconciler, type Dispatcher, type OrderReferences } from '@paystream/runtime';
import { inOrderSequence, ownedPartitions, type CommandConsumers } from './consumers.ts';
import type { Foundation } from './foundation.ts';

export function orderReconciler(
  { settings, byMethod, names }: Pick<Foundation, 'settings' | 'byMethod' | 'names'>,
  orders: OrderReferences,
  dispatcher: Dispatcher,
  consumers: CommandConsumers,
  onEvent: (e: { readonly orderId: string; readonly outcome: string }) => void,
): Reconciler {
  return new Reconciler({
    orders,
    plugins: byMethod,
    updates: dispatcher.updates,
    ...settings.reconciler,
    owned: () => ownedPartitions(consumers, names),
    run: inOrderSequence(consumers, orders),
    onEvent,
  });
}
