// What the worker is made of, by name and type: each part is bound once in the worker's container
// (composition.ts) under its token here, and each room takes the parts it uses by these names.
import type {
  BreakerStateChange,
  CommandKeyRing,
  CoreServices,
  EventSigner,
  FieldCipher,
  KeyRing,
  Logger,
  MidtransClient,
  NotificationVerifier,
} from '@paystream/core';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type {
  ConsumedMessage,
  Dispatcher,
  Ingress,
  IngressEvent,
  KeyOrderedConsumer,
  NotificationHandover,
  OrderReferences,
  Outcome,
  Publisher,
  Reconciler,
  RetentionSweeper,
  SkippedStateRecord,
  Topology,
  WorkerMetrics,
} from '@paystream/runtime';
import type { ServiceIdentifier } from 'inversify';
import type { Kafka, Producer } from 'kafkajs';
import type { WorkerSettings } from './config/worker-options.ts';
import type { CommandConsumers } from './consumers.ts';
import type { KafkaSide } from './kafka.ts';
import type { OutcomeSummary } from './outcome-summary.ts';
import type { Pausing } from './pausing.ts';
import type { RunningWorker } from './worker.ts';

export interface WorkerParts {
  readonly settings: WorkerSettings;
  /** Core's services, opened once; each part takes the members it uses. */
  readonly core: CoreServices;
  readonly log: Logger;
  readonly keyRing: KeyRing;
  readonly client: MidtransClient;
  readonly verifier: NotificationVerifier;
  readonly eventSigner: EventSigner;
  readonly fieldCipher: FieldCipher;
  /** The upstream keys commands are verified with (`commands.auth`). */
  readonly commandKeys: CommandKeyRing;
  /** The chosen plugins by method. */
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly names: Topology;
  readonly metrics: WorkerMetrics;
  /** What each event earns in the metrics and the log (metrics.ts). */
  readonly onOutcome: (o: Outcome) => void;
  readonly onReconciled: (e: { readonly orderId: string; readonly outcome: string }) => void;
  readonly onNotification: (e: IngressEvent) => void;
  readonly onSkippedRecord: (s: SkippedStateRecord) => void;
  readonly onBreakerChange: (c: BreakerStateChange) => void;
  /** The Kafka side, connected once; each part takes the members it uses. */
  readonly connection: KafkaSide;
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly publisher: Publisher;
  readonly orders: OrderReferences;
  /** Hands a consumed command to the dispatcher. */
  readonly handle: (m: ConsumedMessage) => Promise<void>;
  readonly consumers: CommandConsumers;
  /** In a fleet splitting the order state: where the ingress hands over notifications for orders held elsewhere. */
  readonly handover: NotificationHandover | null;
  /** Receives the notifications handed over to this worker. */
  readonly handovers: KeyOrderedConsumer;
  readonly pausing: Pausing;
  readonly summary: OutcomeSummary;
  readonly dispatcher: Dispatcher;
  readonly reconciler: Reconciler;
  /** Takes ended orders out of the order state once their retention is over. */
  readonly retention: RetentionSweeper;
  readonly readiness: () => string[];
  /** Listening once resolved. */
  readonly ingress: Ingress;
  /** /healthz, /readyz and /metrics, listening once resolved. */
  readonly operations: { readonly url: string; close(): Promise<void> };
  /** The started worker: what runWorker resolves. */
  readonly worker: RunningWorker;
}

const token = (name: keyof WorkerParts): symbol => Symbol.for(`paystream.worker.${name}`);

/** The service identifier of each part. */
export const TOKENS: { readonly [K in keyof WorkerParts]: ServiceIdentifier<WorkerParts[K]> } = {
  settings: token('settings'),
  core: token('core'),
  log: token('log'),
  keyRing: token('keyRing'),
  client: token('client'),
  verifier: token('verifier'),
  eventSigner: token('eventSigner'),
  fieldCipher: token('fieldCipher'),
  commandKeys: token('commandKeys'),
  plugins: token('plugins'),
  names: token('names'),
  metrics: token('metrics'),
  onOutcome: token('onOutcome'),
  onReconciled: token('onReconciled'),
  onNotification: token('onNotification'),
  onSkippedRecord: token('onSkippedRecord'),
  onBreakerChange: token('onBreakerChange'),
  connection: token('connection'),
  kafka: token('kafka'),
  producer: token('producer'),
  publisher: token('publisher'),
  orders: token('orders'),
  handle: token('handle'),
  consumers: token('consumers'),
  handover: token('handover'),
  handovers: token('handovers'),
  pausing: token('pausing'),
  summary: token('summary'),
  dispatcher: token('dispatcher'),
  reconciler: token('reconciler'),
  retention: token('retention'),
  readiness: token('readiness'),
  ingress: token('ingress'),
  operations: token('operations'),
  worker: token('worker'),
};
