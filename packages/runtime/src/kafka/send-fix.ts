// Whether the installed kafkajs sends with the project's fix (scripts/patch-dependencies.mjs): the
// stock 2.2.4 could resolve a retried send after a leader failover without writing every partition.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function kafkaSendFixed(): boolean {
  const sendMessages = require('kafkajs/src/producer/sendMessages.js') as { PAYSTREAM_PARTITION_ACKS?: unknown };
  return sendMessages.PAYSTREAM_PARTITION_ACKS === true;
}
