// The secured broker's other two ways in, each a smaller whole-system run than the 1,000 payments over
// SCRAM: the workers authenticate by mutual TLS (their client certificate names User:paystream-worker),
// then by OAUTHBEARER with tokens from the local OIDC issuer's client-credentials grant. The upstream
// and downstream stay SCRAM principals, and every party holds only the ACLs `paystream acls apply` granted.
import { readFileSync } from 'node:fs';
import { ensureSecureBroker, type SecureBroker } from '@paystream/kafka-broker/secure-testing';
import { startSystem, type WorkerAuth } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS, NO_RECONCILE, payAndVerify } from './payment-runs.ts';

const COMMANDS = 60;

const secretIn = (file: string): string => readFileSync(file, 'utf8').trim();

let broker: SecureBroker;

beforeAll(async () => {
  broker = await ensureSecureBroker();
}, 240_000);

afterAll(async () => {
  await broker.stop();
});

async function runAs(workerAuth: WorkerAuth): Promise<void> {
  const system = await startSystem({
    name: `secured-${workerAuth}`,
    brokers: broker.brokers,
    secured: { broker, workerAuth },
    workers: 2,
    plugins: [...METHODS],
    reconcile: NO_RECONCILE,
  });
  try {
    await payAndVerify(system, COMMANDS, workerAuth);
    // Nothing the workers wrote holds a secret of the secured broker's principals.
    const secrets = [
      broker.admin.password,
      ...[broker.users['paystream-worker']?.passwordFile ?? '', broker.oauth.clientSecretFile].map(secretIn),
    ];
    const logs = system.workerLogs().map((l) => JSON.stringify(l));
    expect(logs.filter((l) => secrets.some((secret) => l.includes(secret)))).toEqual([]);
  } finally {
    await system.close();
  }
}

describe('payments through workers on the secured broker, by each other way to authenticate', () => {
  it('mutual TLS: every order paid once, every event verified', () => runAs('mtls'), 400_000);
  it('OAUTHBEARER from the local OIDC issuer: every order paid once, every event verified', () => runAs('oauthbearer'), 400_000);
});
