// Whether the installed kafkajs carries the project's fixes (scripts/patch-dependencies.mjs, ADR 0012):
// the stock 2.2.4 could resolve a retried send after a leader failover without writing every
// partition, and woke the event loop every millisecond per idle broker connection.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function kafkaClientFixed(): boolean {
  const sendMessages = require('kafkajs/src/producer/sendMessages.js') as { PAYSTREAM_PARTITION_ACKS?: unknown };
  const requestQueue = require('kafkajs/src/network/requestQueue/index.js') as { PAYSTREAM_IDLE_QUIET?: unknown };
  return sendMessages.PAYSTREAM_PARTITION_ACKS === true && requestQueue.PAYSTREAM_IDLE_QUIET === true;
}
