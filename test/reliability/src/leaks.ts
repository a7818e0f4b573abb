// A fault is when careless code paths run: a retry logging its request, a crash trace, a DLQ record
// of a half-handled command. So every scenario scans what its run emitted — the workers' logs, every
// result event as read (duplicates included) and every DLQ record — for the secrets the run held and
// the simulator's test card numbers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_CARDS } from '@paystream/midtrans-sim';
import { describeFindings, secretScanner, type RunSecrets } from '@paystream/security-tests';
import { SANDBOX_CARD, type PaystreamSystem } from '@paystream/test-harness';

export interface LeakReport {
  /** Findings across every source. */
  readonly count: number;
  /** The first few, each naming the source, the secret and its form — never the secret. */
  readonly findings: readonly string[];
}

/** The worker-side secret files the harness wrote for the run (`worker-keys/`). */
function workerKeyFiles(dir: string): { privateKeys: string[]; values: Record<string, string> } {
  const keys = join(dir, 'worker-keys');
  const read = (name: string): string | undefined =>
    existsSync(join(keys, name)) ? readFileSync(join(keys, name), 'utf8').trim() : undefined;
  const signing = read('event-signing.pem');
  const values: Record<string, string> = {};
  const encryption = read('event-encryption.key');
  if (encryption) values['event encryption key'] = encryption;
  return { privateKeys: signing ? [signing] : [], values };
}

/** Every secret the run's workers held: credentials, keys, and each access token the simulator issued. */
export function runSecrets(s: PaystreamSystem): RunSecrets {
  const { sim } = s.simulator;
  const own = workerKeyFiles(s.dir);
  const values: Record<string, string> = {
    clientSecret: sim.credentials.clientSecret,
    serverKey: sim.credentials.serverKey,
    ...own.values,
  };
  [...sim.store.tokens.keys()].forEach((t, i) => (values[`access token ${String(i + 1)}`] = t));
  return {
    privateKeys: [...(sim.credentials.merchantPrivateKeyPem ? [sim.credentials.merchantPrivateKeyPem] : []), ...own.privateKeys],
    values,
    cardNumbers: [...new Set([SANDBOX_CARD, ...Object.keys(TEST_CARDS)])],
  };
}

/** Scans the run's output; call it after the scenario's outcomes arrived (the logs are read from their files). */
export function scanLeaks(s: PaystreamSystem, secrets: RunSecrets = runSecrets(s)): LeakReport {
  const scanner = secretScanner(secrets);
  const sources: [string, string][] = [
    ...s.workerLogs().map((l): [string, string] => [`${l.file.split('/').at(-1) ?? l.file}:${String(l.line)}`, l.text]),
    ...s.results.rawResults.map((r, i): [string, string] => [`result event #${String(i)}`, r]),
    ...s.results.dlq.map((d, i): [string, string] => [`${d.topic} #${String(i)}`, `${d.raw}\n${JSON.stringify(d.headers)}`]),
  ];
  const findings = sources.flatMap(([where, text]) => describeFindings(scanner.scan(text), where));
  return { count: findings.length, findings: findings.slice(0, 10) };
}
