// Retention over the worker's parts: ended orders of the command partitions this worker owns leave
// the order state once their retention is over, each in its order's key sequence, and are counted.
import { RETIRABLE_STATUSES, RetentionSweeper } from '@paystream/runtime';
import { inOrderSequence, ownedPartitions } from './consumers.ts';
import type { WorkerParts } from './tokens.ts';

export function orderRetention({
  settings,
  names,
  orders,
  consumers,
  metrics,
  log,
}: Pick<WorkerParts, 'settings' | 'names' | 'orders' | 'consumers' | 'metrics' | 'log'>): RetentionSweeper {
  for (const status of RETIRABLE_STATUSES) metrics.stateOrdersRetired.inc({ status }, 0);
  return new RetentionSweeper({
    retired: orders.retired,
    policy: settings.state,
    owned: () => ownedPartitions(consumers, names),
    run: inOrderSequence(consumers, orders),
    onRetired: ({ orderId, status }) => {
      metrics.stateOrdersRetired.inc({ status });
      log.debug({ orderId, status }, 'order left the order state after its retention');
    },
    onError: (err) => log.error({ err }, 'retention sweep failed; the next one tries again'),
  });
}
