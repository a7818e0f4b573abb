// The order-state reader in a process of its own, for specs that kill it: it opens the index in the
// folder given, prints one JSON line once it has caught up (or could not open), and follows the topic
// until SIGTERM closes it. Usage: node state-reader-process.ts <brokers> <topic> <dir>
import { testKafka } from '@paystream/kafka-broker/testing';
import { Publisher } from '../src/kafka/publisher.ts';
import { OrderReferences } from '../src/state/order-references.ts';

const [brokers = '', topic = '', dir = ''] = process.argv.slice(2);
const kafka = testKafka(brokers.split(','), 'state-reader-process');
const admin = kafka.admin();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
let opened: Promise<OrderReferences> | undefined;
// Listening before anything starts: a SIGTERM that came before the listener would end the process at once, unclosed.
process.once('SIGTERM', () => {
  void (opened ?? Promise.reject(new Error('not started')))
    .then((orders) => orders.close())
    .then(() => Promise.all([admin.disconnect(), producer.disconnect()]))
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
});
await Promise.all([admin.connect(), producer.connect()]);
try {
  opened = OrderReferences.open(kafka, admin, new Publisher(producer), topic, { dir });
  const orders = await opened;
  console.log(JSON.stringify({ rebuilt: orders.rebuilt ?? null, read: orders.recordsRead, size: orders.size }));
} catch (err) {
  console.log(JSON.stringify({ error: (err as { code?: string }).code ?? String(err) }));
  process.exit(1);
}
