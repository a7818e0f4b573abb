// The Kafka clients the order-state specs share: an admin, and an idempotent producer behind the
// runtime's Publisher, on the run's broker; `release` deletes the topics a spec made and disconnects.
import { testKafka } from '@paystream/kafka-broker/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { Publisher } from '../src/kafka/publisher.ts';

export interface StateKafka {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
  readonly publisher: Publisher;
}

export async function connectStateKafka(brokers: string[], clientId: string): Promise<StateKafka> {
  const kafka = testKafka(brokers, clientId);
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return { kafka, admin, producer, publisher: new Publisher(producer) };
}

export async function releaseStateKafka(k: Pick<StateKafka, 'admin' | 'producer'>, topics: readonly string[]): Promise<void> {
  if (topics.length > 0) await k.admin.deleteTopics({ topics: [...topics] });
  await k.producer.disconnect();
  await k.admin.disconnect();
}
