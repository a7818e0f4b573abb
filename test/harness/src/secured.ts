// A run on the secured broker (infra/kafka, `--secure`) as production runs: the workers are
// `paystream-worker` by SCRAM-SHA-512, mutual TLS or OAUTHBEARER and the upstream publisher is `checkout`,
// each holding only the ACLs `paystream acls apply` grants from the plan, removed again at the end.
// The harness's admin and its result collector, which watches the DLQs as well as the results (no
// single role reads both), are the super user.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecureBroker } from '@paystream/kafka-broker/secure-testing';
import type { Topology } from '@paystream/runtime';
import { aclEntry, type AclBinding, type KafkaSecurityInput } from '@paystream/worker';
import type { Admin } from 'kafkajs';
import { runPaystream } from './operator-cli.ts';

/** How the workers authenticate: the three ways the secured broker accepts them. */
export type WorkerAuth = 'scram-sha-512' | 'mtls' | 'oauthbearer';

export interface SecuredRun {
  readonly broker: SecureBroker;
  readonly workerAuth: WorkerAuth;
}

/** Each party's connection: brokers and the configuration's kafka.tls / kafka.sasl. */
export interface RunAccess {
  readonly admin: KafkaSecurityInput | undefined;
  readonly upstream: KafkaSecurityInput | undefined;
  readonly downstream: KafkaSecurityInput | undefined;
  readonly worker: KafkaSecurityInput | undefined;
  readonly workerBrokers: readonly string[];
}

function scram(b: SecureBroker, user: string): KafkaSecurityInput {
  const u = b.users[user];
  if (!u) throw new Error(`the secured broker has no SCRAM user ${user}`);
  return { tls: { caFiles: [b.caFile] }, sasl: { mechanism: 'scram-sha-512', username: u.username, passwordFile: u.passwordFile } };
}

function workerAccess(b: SecureBroker, auth: WorkerAuth): Pick<RunAccess, 'worker' | 'workerBrokers'> {
  if (auth === 'mtls')
    return {
      worker: { tls: { caFiles: [b.caFile], clientCertFile: b.clientCert.certFile, clientKeyFile: b.clientCert.keyFile } },
      workerBrokers: b.mtlsBrokers,
    };
  if (auth === 'oauthbearer') {
    const { tokenEndpoint, clientId, clientSecretFile } = b.oauth;
    return {
      worker: { tls: { caFiles: [b.caFile] }, sasl: { mechanism: 'oauthbearer', oauth: { tokenEndpoint, clientId, clientSecretFile } } },
      workerBrokers: b.brokers,
    };
  }
  return { worker: scram(b, 'paystream-worker'), workerBrokers: b.brokers };
}

/** The parties' connections; the admin's password goes into an owner-only file of the run folder. */
export function securedAccess(run: SecuredRun, dir: string): RunAccess {
  const b = run.broker;
  const adminPasswordFile = join(dir, 'kafka-admin.password');
  writeFileSync(adminPasswordFile, b.admin.password, { mode: 0o600 });
  const admin: KafkaSecurityInput = {
    tls: { caFiles: [b.caFile] },
    sasl: { mechanism: 'scram-sha-512', username: b.admin.username, passwordFile: adminPasswordFile },
  };
  return {
    admin,
    upstream: scram(b, 'checkout'),
    downstream: admin,
    ...workerAccess(b, run.workerAuth),
  };
}

/**
 * Grants the run's ACLs the way an operator does — `paystream acls apply` as the super user, from a
 * configuration naming each role's principal — and returns what removes them again.
 */
export async function applyRunAcls(run: SecuredRun, access: RunAccess, dir: string, names: Topology, methods: readonly string[]) {
  const configFile = join(dir, 'acls-config.json');
  const acls = { worker: run.broker.clientCert.principal, upstream: [{ principal: 'User:checkout', methods }] };
  const kafka = { brokers: run.broker.brokers, topicPrefix: names.prefix, ...access.admin, acls };
  writeFileSync(configFile, JSON.stringify({ kafka, plugins: methods }), { mode: 0o600 });
  // The flag outranks a KAFKA_BROKERS the test process may carry for the plaintext broker.
  const applied = await runPaystream(['acls', 'apply', '--json', '--config', configFile, '--brokers', run.broker.brokers.join(',')]);
  if (applied.code !== 0) throw new Error(`paystream acls apply exited ${String(applied.code)}: ${applied.stderr.trim()}`);
  const { created, present } = JSON.parse(applied.stdout) as Record<'created' | 'present', AclBinding[]>;
  // Only the ACLs named for this run go: the shared group prefixes (state and DLQ readers) serve other runs too.
  const ours = [...created, ...present].filter((b) => b.name.startsWith(names.prefix));
  return async (admin: Admin): Promise<void> => {
    if (ours.length > 0) await admin.deleteAcls({ filters: ours.map(aclEntry) });
  };
}
