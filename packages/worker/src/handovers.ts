// The notifications other workers handed over (notification-handover.ts): one consumer group on the
// notifications topic, partitioned and assigned like the command topics, so that the worker owning an
// order's partition receives them; each is confirmed in its order's key sequence, after the order's
// state is restored here.
import { KeyOrderedConsumer, NotificationHandover } from '@paystream/runtime';
import { inOrderSequence, partitionAssigners } from './consumers.ts';
import type { WorkerParts } from './tokens.ts';

/** What the ingress hands over with, in a fleet that splits the order state; null when every worker holds it all. */
export function notificationHandover({
  names,
  orders,
  plugins,
  publisher,
}: Pick<WorkerParts, 'names' | 'orders' | 'plugins' | 'publisher'>): NotificationHandover | null {
  if (orders.fleet.owned === 'all') return null;
  return new NotificationHandover({ publisher, topic: names.notifications, partitions: () => orders.partitionCount, plugins });
}

export function handoverConsumer({
  settings,
  names,
  kafka,
  orders,
  consumers,
  ingress,
  log,
}: Pick<WorkerParts, 'settings' | 'names' | 'kafka' | 'orders' | 'consumers' | 'ingress' | 'log'>): KeyOrderedConsumer {
  const run = inOrderSequence(consumers, orders);
  return new KeyOrderedConsumer({
    kafka,
    groupId: names.notificationsGroup,
    topics: [names.notifications],
    maxInFlight: settings.maxInFlight,
    handle: ({ message }) => ingress.handedOver(message, run),
    onError: (err) => log.error({ err }, 'a handed-over notification failed'),
    partitionAssigners: partitionAssigners(orders),
    ready: (partition) => orders.fleet.ready(partition),
  });
}
