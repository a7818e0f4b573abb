// @paystream/runtime: the engine that turns payment commands into Midtrans calls and result events.
export { KeyOrderedConsumer, type ConsumedMessage, type KeyOrderedConsumerOptions } from './kafka/key-ordered-consumer.ts';
export { KeyedScheduler } from './kafka/keyed-scheduler.ts';
export { OffsetTracker, type PartitionHandle } from './kafka/offset-tracker.ts';
export { keyHashPartitioner, murmur2, partitionOfKey } from './kafka/partitioner.ts';
export { loadSqlite } from './state/store-files.ts';
export { createTopicsWithLeaders } from './kafka/create-topics.ts';
export {
  rangeSpans,
  readTopicRange,
  TOPIC_READER_GROUP_PREFIX,
  type PartitionSpan,
  type RangeRecord,
  type TopicRange,
} from './kafka/topic-range.ts';
export { AuditWriter, auditEvent, cliActor, targetKey, type AuditRecord } from './audit/audit-writer.ts';
export { CO_PARTITIONED_PROTOCOL, coPartitionedAssigner } from './kafka/co-partitioned-assigner.ts';
export {
  Dispatcher,
  outcomeLabel,
  REFUSAL_CODES,
  type DispatcherDeps,
  type Outcome,
  type PublishOptions,
  type RefusalCode,
} from './dispatch/dispatcher.ts';
export { OrderUpdates, type OrderUpdatesApi } from './dispatch/order-updates.ts';
export { COMMAND_KEY_ID, COMMAND_SIGNATURE, freshTraceparent, validCorrelationId, validTraceparent } from './dispatch/headers.ts';
export type { CommandAuth } from './dispatch/command-auth.ts';
export { paymentEvent, rejectedEvent, type EventCrypto, type Verification } from './dispatch/events.ts';
export { containsCardNumber, maskCards } from '@paystream/core';
export { disablesThreeDs } from './dispatch/three-ds.ts';
export { deriveIds } from './dispatch/ids.ts';
export { COMMAND_BINDING_PREFIX, commandBindingField, commandKey, mergeState } from './state/state-merge.ts';
export { emptyOrderState, ORDER_STATE_VERSION, OrderState, type OrderChange } from './state/order-state.ts';
export {
  OrderReferences,
  type OrderReferencesOptions,
  STATE_READER_GROUP_PREFIX,
  type SkippedStateRecord,
} from './state/order-references.ts';
export type { StateFleet } from './state/state-follower.ts';
export { MAX_STATE_RECORD_BYTES, readStateRecord, STATE_SKIP_REASONS, type StateRead, type StateSkipReason } from './state/state-record.ts';
export { Publisher, type OutMessage, type PublisherOptions } from './kafka/publisher.ts';
export { kafkaClientFixed } from './kafka/client-fixes.ts';
export * from './tracing/index.ts';
export { inquirable, statusCommand } from './state/status-command.ts';
export { INDEX_REBUILD_REASONS, type IndexRebuildReason } from './state/checkpoint.ts';
export { defaultIndexRoot } from './state/index-dir.ts';
export {
  cutoffsAt,
  daysMs,
  DEFAULT_RETENTION,
  RETIRABLE_STATUSES,
  RetentionSweeper,
  type RetentionPolicy,
  type RetentionSweeperOptions,
} from './state/retention.ts';
export { RETIRED_AT_HEADER, RetiredOrders, retiredAtOf } from './state/retired-orders.ts';
export {
  AUDIT_RETENTION_DAYS,
  auditTopic,
  NOTIFICATIONS_TOPIC,
  ORDER_STATE_TOPIC,
  orderStateTopic,
  TOMBSTONE_RETENTION_CONFIG,
  topology,
  type Topology,
} from './kafka/topology.ts';
export { startIngress, type Ingress, type IngressOptions } from './ingress/notification-ingress.ts';
export { CORE_NOTIFICATION_PATH } from './ingress/notification-handler.ts';
export { NotificationHandover } from './ingress/notification-handover.ts';
export { INGRESS_OUTCOMES, type IngressEvent, type IngressOutcome } from './ingress/outcomes.ts';
export { DEFAULT_INGRESS_LIMITS, MAX_BODY_BYTES, type IngressLimits } from './ingress/limits.ts';
export { isLoopbackHost, refusePlainHttpExposure } from './ingress/exposure.ts';
export { mayFollow, TERMINAL } from './state/transitions.ts';
export { startOperations, WorkerMetrics, type Readiness } from './ops/operations.ts';
export { paystreamVersion } from './ops/build-info.ts';
export { PauseControl, type Pausable } from './ops/pause-control.ts';
export { CredentialsWatch, type CredentialsWatchOptions, type ProbeVerdict } from './ops/credentials-watch.ts';
export { awaitsOutcome, Reconciler, type ReconcilerOptions } from './reconcile/reconciler.ts';
