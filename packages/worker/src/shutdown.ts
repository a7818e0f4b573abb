// The orderly stop: nothing new is taken in (timers, reloads, the reconciler, the ingress and the
// operations endpoint close first), the commands in flight drain within the bound while the state
// reader stops, and only then do the order index, the producer and core's client close.
import type { CoreServices, Logger } from '@paystream/core';
import type { Ingress, OrderReferences, Reconciler, RetentionSweeper } from '@paystream/runtime';
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
  await Promise.all([...[...p.consumers.values()].map((c) => c.stop(drainMs)), p.orders.stopFollowing()]);
  p.pausing.stopBreakers();
  await p.orders.close();
  await p.producer.disconnect();
  await p.core.close();
  p.log.info('worker stopped');
}
