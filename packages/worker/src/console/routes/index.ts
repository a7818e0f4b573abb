// The console's read API: orders (search and timeline), the DLQ, the audit trail and an overview,
// every one read from Kafka within stated bounds. Answers pass through printableJson, so no control
// or bidi character of a record reaches a page unescaped.
import type { Admin, Kafka } from 'kafkajs';
import type { PublishedKey } from '@paystream/contracts';
import type { FieldCipher } from '@paystream/core';
import type { Topology } from '@paystream/runtime';
import type { ApiRoute } from '../api-route.ts';
import type { OrderDirectory } from '../data/order-directory.ts';
import { dlqRoutes } from './dlq.ts';
import { orderRoutes } from './orders.ts';
import { auditRoutes, overviewRoutes } from './overview.ts';

export interface ConsoleDeps {
  readonly kafka: Kafka;
  /** Connected; used for offsets and topic lists only. */
  readonly admin: Admin;
  readonly topology: Topology;
  /** The payment methods of the installation, in the order they are shown. */
  readonly methods: readonly string[];
  /** The worker's event-signing public keys (EventSigner.publicKeys()): result and audit events are verified with them. */
  readonly eventKeys: readonly PublishedKey[];
  /** Decrypts DLQ payloads for operators; result events' customer fields are never decrypted. */
  readonly cipher: FieldCipher;
  /** Started once (OrderDirectory.start) and closed by the server when it stops. */
  readonly directory: OrderDirectory;
  /** The clock (epoch ms); Date.now when absent. */
  readonly now?: () => number;
}

export function consoleRoutes(deps: ConsoleDeps): ApiRoute[] {
  return [...orderRoutes(deps), ...dlqRoutes(deps), ...auditRoutes(deps), ...overviewRoutes(deps)];
}
