// A downstream service: consumes the results topic, each event verified and its customer fields
// decrypted before it is handled, and prints one JSON line per event; stops after N events.
//   PAYSTREAM_BROKERS=… PAYSTREAM_TRUST=trust.json node downstream.mjs <group> <N>
import { consumeResults } from '@paystream/client';
import { settings } from './settings.mjs';

const { kafka, topicPrefix, trustedKeys, encryptionKeys } = settings();
const [groupId = 'example-downstream', max = '0'] = process.argv.slice(2);
let handled = 0;
let done;
const finished = new Promise((resolve) => (done = resolve));
const consumer = await consumeResults({
  kafka,
  groupId,
  topicPrefix,
  trustedKeys,
  encryptionKeys,
  onEvent: (event, { keyId, decrypted }) => {
    const orderId = event.data.orderId;
    console.log(JSON.stringify({ id: event.id, type: event.type, orderId, keyId, decrypted }));
    if (++handled === Number(max)) done();
  },
  onInvalid: ({ partition, offset, reason }) => console.error(`refused ${partition}@${offset}: ${reason}`),
});
if (Number(max) > 0) {
  await finished;
  await consumer.stop();
}
