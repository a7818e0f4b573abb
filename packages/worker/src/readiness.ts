// Ready means every command consumer has joined its group, consumption is not paused, producing works
// and the order state of the partitions owned is restored and followed; each reason it is not is reported in /readyz. A Kafka client that
// crashed after the start (a login refused on reconnect, an ACL removed) is named with the refusal,
// in the words of kafka-refusal.ts and kafka-denial.ts: the setting to fix, never a secret.
import type { KeyOrderedConsumer, OrderReferences, PauseControl, Publisher } from '@paystream/runtime';
import { kafkaDenial } from './kafka-denial.ts';
import type { KafkaSecurity } from './config/kafka-security.ts';
import type { CommandConsumers } from './consumers.ts';
import { kafkaRefusal, refusalError } from './kafka-refusal.ts';

/** A consumer as readiness sees it: joined, or not yet, or stopped by `failure` (and being restarted). */
type KafkaMember = Pick<KeyOrderedConsumer, 'joined'> & { readonly failure?: unknown };

export interface ReadinessSources {
  readonly consumers: ReadonlyMap<string, KafkaMember> | CommandConsumers;
  readonly pausing: { readonly control: Pick<PauseControl, 'reasons'> };
  readonly publisher: Pick<Publisher, 'failing'>;
  readonly orders: Pick<OrderReferences, 'following'> & {
    readonly failure?: unknown;
    readonly fleet?: { readonly restoring: boolean };
  };
  /** How the worker connects to Kafka, to name the setting a refusal is about. */
  readonly security?: KafkaSecurity | undefined;
}

/** Why a Kafka client stopped: the catalogue's code and message for a refusal, else the error's name only. */
export function stoppedBecause(failure: unknown, security: KafkaSecurity | undefined): string {
  const refusal = kafkaRefusal(failure, security ?? ({} as KafkaSecurity));
  const known = refusal ? refusalError(refusal) : kafkaDenial(failure);
  if (known) return `${known.code}: ${known.message}`;
  const name = failure instanceof Error && /^\w{1,64}$/.test(failure.name) ? failure.name : 'an error';
  return `${name}; restarting`;
}

/** Each reason the worker is not ready; empty when it is. */
export function readinessOf(s: ReadinessSources): () => string[] {
  const consumer = (method: string, c: KafkaMember): string[] => {
    if (c.joined) return [];
    if (c.failure === undefined) return [`kafka: the ${method} consumer has not joined its group`];
    return [`kafka: the ${method} consumer stopped: ${stoppedBecause(c.failure, s.security)}`];
  };
  const orders = (): string[] => {
    if (s.orders.fleet?.restoring) return ['kafka: the order state of a partition taken over is being restored'];
    if (s.orders.following) return [];
    if (s.orders.failure === undefined) return ['kafka: the order-state reader stopped'];
    return [`kafka: the order-state reader stopped: ${stoppedBecause(s.orders.failure, s.security)}`];
  };
  return () => [
    ...[...s.consumers].flatMap(([m, c]) => consumer(m, c)),
    ...s.pausing.control.reasons(),
    ...(s.publisher.failing ? ['kafka: producing fails'] : []),
    ...orders(),
  ];
}
