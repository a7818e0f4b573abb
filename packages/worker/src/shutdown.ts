// The orderly stop: nothing new is taken in (timers, reloads, the reconciler, the ingress and the
// operations endpoint close first), the commands in flight drain within the bound while the state
// reader stops, and only then do the order index, the producer and core's client close.
import type { CoreServices, Logger } from '@paystream/core';
import type { Ingress, KeyOrderedConsumer, OrderReferences, Reconciler, RetentionSweeper } from '@paystream/runtime';
import type { Producer } from 'kafkajs';
import type { CommandConsumers } from './consumers.ts';
import type { Pausing } from './pausing.ts';

export interface RunningParts {
  readonly stopSummaries: () => void;
  readonly offSighup: () => void;
  readonly pausing: Pick<Pausing, 'stopProbes' | 'stopBreakers'>;
  readonly reconciler: Pick<Reconciler, 'stop'>;
  readonly retention: Pick<RetentionSweeper, 'stop'>;
  readonly ingress: Pick<Ingress, 'close'>;
  readonly operations: { close(): Promise<void> };
  readonly consumers: CommandConsumers;
  readonly handovers: Pick<KeyOrderedConsumer, 'stop'>;
  readonly orders: Pick<OrderReferences, 'stopFollowing' | 'close'>;
  readonly producer: Pick<Producer, 'disconnect'>;
  readonly core: Pick<CoreServices, 'close'>;
  readonly log: Logger;
}

export async function shutDown(p: RunningParts, drainMs: number): Promise<void> {
  p.stopSummaries();
  p.offSighup();
  p.reconciler.stop();
  p.pausing.stopProbes();
  await p.retention.stop();
  await p.ingress.close();
  await p.operations.close();
  // The state reader stops beside the drain: what the drain writes is applied as Kafka acknowledges it.
  const groups = [...p.consumers.values(), p.handovers];
  const stops = await Promise.allSettled([...groups.map((c) => c.stop(drainMs)), p.orders.stopFollowing()]);
  // A group that failed to leave cleanly is left to the broker's session timeout; the rest still closes.
  for (const s of stops) if (s.status === 'rejected') p.log.warn({ err: s.reason as unknown }, 'a Kafka client did not stop cleanly');
  p.pausing.stopBreakers();
  await p.orders.close();
  await p.producer.disconnect();
  await p.core.close();
  p.log.info('worker stopped');
}
