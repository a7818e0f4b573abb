// The Kafka names one deployment uses. The contract fixes the names (`paystream.commands.<method>`,
// `paystream.results`, …); a prefix lets several deployments — or several test runs — share a
// cluster without reading each other's commands or joining each other's consumer groups.
import type { ITopicConfig } from 'kafkajs';
import { topics } from '@paystream/contracts';
import { daysMs, DEFAULT_RETENTION } from '../state/retention.ts';

export const ORDER_STATE_TOPIC = 'paystream.orders.state';
/** Notifications handed by the worker that received them to the one that owns their order (notification-handover.ts). */
export const NOTIFICATIONS_TOPIC = 'paystream.notifications';

export interface Topology {
  readonly prefix: string;
  commands(method: string): string;
  dlq(method: string): string;
  readonly results: string;
  readonly orderState: string;
  readonly notifications: string;
  /** Operator actions and who took them (audit-writer.ts). */
  readonly audit: string;
  /** The consumer group of one plugin's workers. */
  group(method: string): string;
  /** The consumer group of the workers' notification handovers. */
  readonly notificationsGroup: string;
}

export function topology(prefix = ''): Topology {
  if (!/^[A-Za-z0-9._-]*$/.test(prefix)) throw new RangeError('a topic prefix may hold only letters, digits, ".", "_" and "-"');
  return {
    prefix,
    commands: (method) => prefix + topics.commands(method),
    dlq: (method) => prefix + topics.dlq(method),
    results: prefix + topics.results,
    orderState: prefix + ORDER_STATE_TOPIC,
    notifications: prefix + NOTIFICATIONS_TOPIC,
    audit: prefix + topics.audit,
    group: (method) => `${prefix}paystream.worker.${method}`,
    // Not of the form above: no plugin method can be named into it.
    notificationsGroup: `${prefix}paystream.worker-notifications`,
  };
}

/**
 * The order-state topic as the worker (or `paystream topics create`) makes it: compacted, with the
 * command topics' partitions (so that a fleet splits it as it splits the commands), and its tombstones
 * kept for as long as retired order ids are remembered (`state.retiredMemoryDays`), so that an index
 * built from the topic still learns which orders left.
 */
export function orderStateTopic(
  topic = ORDER_STATE_TOPIC,
  replicationFactor?: number,
  retiredMemoryDays = DEFAULT_RETENTION.retiredMemoryDays,
  numPartitions = 3,
): ITopicConfig {
  return {
    topic,
    numPartitions,
    ...(replicationFactor !== undefined ? { replicationFactor } : {}),
    configEntries: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: TOMBSTONE_RETENTION_CONFIG, value: String(daysMs(retiredMemoryDays)) },
    ],
  };
}

/** The topic setting that keeps tombstones (a retired order's last record) through compaction. */
export const TOMBSTONE_RETENTION_CONFIG = 'delete.retention.ms';

/** How long the audit topic keeps a record: past the twelve months a payment-card audit trail must cover. */
export const AUDIT_RETENTION_DAYS = 400;

/**
 * The audit topic as `paystream topics create` makes it: a plain (not compacted) topic, since every
 * record is a fact of its own, kept for AUDIT_RETENTION_DAYS; one partition, because a handful of
 * records a day are read as one timeline, in the order they were written.
 */
export function auditTopic(topic: string = topics.audit, replicationFactor?: number): ITopicConfig {
  return {
    topic,
    numPartitions: 1,
    ...(replicationFactor !== undefined ? { replicationFactor } : {}),
    configEntries: [
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: String(daysMs(AUDIT_RETENTION_DAYS)) },
    ],
  };
}
