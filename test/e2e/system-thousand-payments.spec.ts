// The whole system under a real load, as production runs it: 1,000 charge commands across the six
// payment methods (virtual accounts at every bank), two `paystream worker` processes behind a load
// balancer, the secured broker and the simulator. The workers authenticate by SCRAM-SHA-512 over TLS
// as their own principal, and every party — the upstream `checkout`, the downstream `ledger` — holds
// only the ACLs `paystream acls apply` granted. Each order gets exactly its action_required, the
// customer pays, and Midtrans' notification — verified by the ingress and confirmed by inquiry —
// becomes exactly one succeeded. Every event is checked as a downstream service would: the contracts
// schema and verifier with the public key only, and the CloudEvents SDK.
import { ensureSecureBroker, type SecureBroker } from '@paystream/kafka-broker/secure-testing';
import { startSystem, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { METHODS, NO_RECONCILE, payAndVerify } from './payment-runs.ts';

const COMMANDS = 1_000;

let broker: SecureBroker | undefined;
let system: PaystreamSystem | undefined;

beforeAll(async () => {
  broker = await ensureSecureBroker();
  system = await startSystem({
    name: 'thousand',
    brokers: broker.brokers,
    secured: { broker, workerAuth: 'scram-sha-512' },
    workers: 2,
    plugins: [...METHODS],
    reconcile: NO_RECONCILE,
  });
}, 240_000);

afterAll(async () => {
  try {
    await system?.close();
  } finally {
    await broker?.stop();
  }
});

describe('1,000 payments through the worker processes on the secured broker', () => {
  it('gives every order exactly action_required then a notification-verified succeeded, every event verifiable downstream, one charge each', async () => {
    await payAndVerify(system as PaystreamSystem, COMMANDS, 'k');
  }, 600_000);
});
