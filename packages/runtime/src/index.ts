// @paystream/runtime: the engine that turns payment commands into Midtrans calls and result events.
export { KeyOrderedConsumer, type ConsumedMessage, type KeyOrderedConsumerOptions } from './kafka/key-ordered-consumer.ts';
export { KeyedScheduler } from './kafka/keyed-scheduler.ts';
export { OffsetTracker, type PartitionHandle } from './kafka/offset-tracker.ts';
export { keyHashPartitioner, murmur2 } from './kafka/partitioner.ts';
export { Dispatcher, type DispatcherDeps, type Outcome, type PublishOptions } from './dispatch/dispatcher.ts';
export { paymentEvent, rejectedEvent, type EventCrypto, type Verification } from './dispatch/events.ts';
export { containsCardNumber, disablesThreeDs, maskCards } from './dispatch/guards.ts';
export { deriveIds } from './dispatch/ids.ts';
export { mergeState, OrderReferences } from './state/order-references.ts';
export { Publisher, type OutMessage, type PublisherOptions } from './kafka/publisher.ts';
export { inquirable, statusCommand } from './state/status-command.ts';
export { ORDER_STATE_TOPIC, topology, type Topology } from './kafka/topology.ts';
export { CORE_NOTIFICATION_PATH, startIngress, type Ingress, type IngressOptions } from './ingress/notification-ingress.ts';
export { mayFollow, TERMINAL } from './state/transitions.ts';
export { startOperations, WorkerMetrics, type Readiness } from './ops/operations.ts';
export { PauseControl, type Pausable } from './ops/pause-control.ts';
export { CredentialsWatch, type CredentialsWatchOptions, type ProbeVerdict } from './ops/credentials-watch.ts';
export { awaitsOutcome, Reconciler, type ReconcilerOptions } from './reconcile/reconciler.ts';
