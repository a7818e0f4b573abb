// One payment per method through a worker process whose merchant key lives in a key store (an HSM,
// a KMS, an encrypted file): the key made by `paystream keys generate`, its printed public key the
// only one the simulator accepts, so every token Midtrans issues proves a signature by that store.
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreConfigInput } from '@paystream/core';
import { readLogLines, startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
import { expect } from 'vitest';
import { METHODS, NO_RECONCILE } from '../payment-runs.ts';

const TOKEN_PATH = '/v1.0/access-token/b2b';

export interface KeyStoreSystem {
  readonly name: string;
  readonly brokers: readonly string[];
  /** The merchant's key settings: privateKeyFile and, for an encrypted file, its passphrase setting. */
  readonly merchantKey: Record<string, string>;
  /** Settings beside the merchant's: keyStores, security. */
  readonly core?: Pick<CoreConfigInput, 'keyStores' | 'security'>;
  readonly env: Record<string, string>;
  /** Encrypts the event-signing key too, with this passphrase from env:PAYSTREAM_EVENT_KEY_PASSPHRASE. */
  readonly eventKeyPassphrase?: string;
}

/** The run's event-signing key written encrypted beside it, and the events settings that read it. */
function encryptedEvents(events: CoreConfigInput['events'], dir: string, passphrase: string): CoreConfigInput['events'] {
  const plain = events?.signingKeyFiles?.[0];
  if (plain === undefined) throw new Error('the simulator configuration has no event-signing key');
  const file = join(dir, 'event-signing.enc.pem');
  const key = createPrivateKey(readFileSync(plain, 'utf8'));
  writeFileSync(file, key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }), { mode: 0o600 });
  return { ...events, signingKeyFiles: [file], signingKeyPassphraseFile: 'env:PAYSTREAM_EVENT_KEY_PASSPHRASE' };
}

/** A one-worker system over every method whose merchant key is the store's; nothing is charged yet. */
export async function startKeyStoreSystem(o: KeyStoreSystem): Promise<PaystreamSystem> {
  return startSystem({
    name: o.name,
    brokers: o.brokers,
    plugins: [...METHODS],
    reconcile: NO_RECONCILE,
    env: {
      PAYSTREAM_CREDENTIALS_PROBE_MS: '500',
      ...(o.eventKeyPassphrase === undefined ? {} : { PAYSTREAM_EVENT_KEY_PASSPHRASE: o.eventKeyPassphrase }),
      ...o.env,
    },
    configure: (base, dir) => {
      const merchant = base.merchants['default'];
      if (!merchant) throw new Error('the simulator configuration has no default merchant');
      const events = o.eventKeyPassphrase === undefined ? base.events : encryptedEvents(base.events, dir, o.eventKeyPassphrase);
      return { ...base, merchants: { default: { ...merchant, ...o.merchantKey } }, events, ...o.core };
    },
  });
}

/** Registers the store's public key at the simulator and retires its own: from now on only that key gets tokens. */
export async function registerOnly(s: PaystreamSystem, publicKeyPem: string): Promise<void> {
  await s.simulator.admin.ok('POST', '/merchant-public-key', { publicKeyPem });
  await s.simulator.admin.ok('POST', '/end-transition');
}

/** Every token request answered since `from`, by status; a 401xx00 would be a signature Midtrans refused. */
export function tokenAnswers(s: PaystreamSystem, from = 0): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of s.simulator.sim.requests.slice(from)) if (r.path === TOKEN_PATH) out[String(r.status)] = (out[String(r.status)] ?? 0) + 1;
  return out;
}

/** Restarts worker 0 after `breakIt`, waits until /readyz names `reason`, then `fixIt` and waits until it is ready again. */
export async function unreadyUntilFixed(
  s: PaystreamSystem,
  steps: { breakIt: () => Promise<void> | void; reason: RegExp; fixIt: () => Promise<void> | void },
): Promise<string[]> {
  await s.workers.kill(0, 'SIGTERM');
  await steps.breakIt();
  s.workers.start(0);
  let last: { status: number; reasons: string[] } = { status: 0, reasons: [] };
  await until(
    async () => {
      last = await s.workers.readiness(0).catch(() => ({ status: 0, reasons: [] }));
      return last.status === 503 && last.reasons.some((r) => steps.reason.test(r));
    },
    () => `worker 0's /readyz: ${JSON.stringify(last)}`,
    { timeoutMs: 90_000, intervalMs: 200 },
  );
  await steps.fixIt();
  await s.workers.waitReady(0, 90_000);
  return last.reasons;
}

/** Every line the workers wrote, for secret scans. */
export function workerOutput(s: PaystreamSystem): string {
  return readLogLines(s.workers.slots.flatMap((slot) => [slot.stdoutFile, slot.stderrFile]))
    .map((l) => l.text)
    .join('\n');
}

export function expectOnlyAcceptedTokens(s: PaystreamSystem): void {
  const answers = tokenAnswers(s);
  expect(answers['200'] ?? 0, JSON.stringify(answers)).toBeGreaterThan(0);
  expect(s.simulator.sim.requests.filter((r) => r.path === TOKEN_PATH && r.status === 401 && r.responseCode?.endsWith('00'))).toEqual([]);
}
