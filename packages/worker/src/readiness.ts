// Ready means every command consumer has joined its group, consumption is not paused, producing works
// and the order state is followed; each reason it is not is reported in /readyz.
import type { OrderReferences, PauseControl, Publisher } from '@paystream/runtime';
import type { CommandConsumers } from './consumers.ts';

export interface ReadinessSources {
  readonly consumers: CommandConsumers;
  readonly pausing: { readonly control: Pick<PauseControl, 'reasons'> };
  readonly publisher: Pick<Publisher, 'failing'>;
  readonly orders: Pick<OrderReferences, 'following'>;
}

/** Each reason the worker is not ready; empty when it is. */
export function readinessOf(s: ReadinessSources): () => string[] {
  return () => [
    ...[...s.consumers].filter(([, c]) => !c.joined).map(([m]) => `kafka: the ${m} consumer has not joined its group`),
    ...s.pausing.control.reasons(),
    ...(s.publisher.failing ? ['kafka: producing fails'] : []),
    ...(s.orders.following ? [] : ['kafka: the order-state reader stopped']),
  ];
}
