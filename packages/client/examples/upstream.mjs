// An upstream service: publishes the charges of a JSON file (an array of charge inputs) and waits
// for each one's first result, printing one JSON line per charge.
//   PAYSTREAM_BROKERS=… PAYSTREAM_TRUST=trust.json node upstream.mjs charges.json
import { readFileSync } from 'node:fs';
import { PaystreamClient, PaystreamClientError } from '@paystream/client';
import { settings } from './settings.mjs';

const { kafka, topicPrefix, trustedKeys } = settings();
const charges = JSON.parse(readFileSync(process.argv[2] ?? 'charges.json', 'utf8'));
const client = await PaystreamClient.connect({ kafka, topicPrefix, trustedKeys });
let failed = 0;
try {
  await Promise.all(
    charges.map(async (charge) => {
      try {
        const { command, result } = await client.charge(charge, { wait: 'action_required', timeoutMs: 90_000 });
        const action = result?.data.action;
        console.log(
          JSON.stringify({ orderId: command.orderId, method: command.method, status: result?.data.status, action: action?.kind }),
        );
      } catch (err) {
        failed++;
        const code = err instanceof PaystreamClientError ? err.code : 'unexpected';
        console.log(JSON.stringify({ orderId: charge.orderId, method: charge.method, error: code, message: String(err.message) }));
      }
    }),
  );
} finally {
  await client.close();
}
process.exitCode = failed === 0 ? 0 : 1;
