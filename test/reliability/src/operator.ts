// What an operator does to a running fleet's keys, as docs/core.md tells them to: replace a key or
// secret file atomically (write, then rename), signal SIGHUP, list a compromised key's fingerprint
// in the revocation list — and what they watch meanwhile: /readyz of every worker, and the
// workers' own word that the new material is in use.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { spkiFingerprint } from '@paystream/core';
import { readLogLines, until, type PaystreamSystem } from '@paystream/test-harness';

/** Replaces a file in one step, as a secret manager does: a reader sees the old content or the new, never half. */
export function replaceFile(path: string, content: string): void {
  writeFileSync(`${path}.next`, content, { mode: 0o600 });
  renameSync(`${path}.next`, path);
}

/** A merchant key pair as `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048` makes it (PKCS#8 PEM). */
export function merchantKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The SPKI SHA-256 fingerprint a revocation list names (`paystream keys check FILE` prints it), of a private or public key. */
export const fingerprintOf = (pem: string): string => spkiFingerprint(createPublicKey(pem));

/** SIGHUP to every live worker. */
export function sighup(s: PaystreamSystem): void {
  for (const slot of s.workers.slots) if (s.workers.isAlive(slot.index)) slot.process?.kill('SIGHUP');
}

/** How many times each worker reported its key material reloaded (in its log). */
export function reloads(s: PaystreamSystem): number[] {
  return s.workers.slots.map((slot) => readLogLines([slot.stdoutFile]).filter((l) => l.json?.['msg'] === 'key material reloaded').length);
}

/** Waits until every worker reported a reload beyond the counts `before` (from `reloads`). */
export async function untilReloaded(s: PaystreamSystem, before: readonly number[], timeoutMs = 60_000): Promise<void> {
  await until(
    () => reloads(s).every((n, i) => n > (before[i] ?? 0)),
    () => `workers reloaded their keys ${JSON.stringify(reloads(s))} times, ${JSON.stringify(before)} before`,
    { timeoutMs, intervalMs: 200 },
  );
}

export interface Readiness {
  readonly status: number;
  readonly reasons: readonly string[];
}

/** /readyz of every worker. */
export async function readiness(s: PaystreamSystem): Promise<Readiness[]> {
  return Promise.all(s.workers.slots.map((slot) => s.workers.readiness(slot.index)));
}

/** Polls every worker's /readyz until `stop` is called; returns each answer that was not 200. */
export function watchReadiness(s: PaystreamSystem, intervalMs = 200): { stop: () => Promise<string[]> } {
  const unready: string[] = [];
  const on = { polling: true };
  const poll = (async () => {
    while (on.polling) {
      for (const r of await readiness(s)) if (r.status !== 200) unready.push(`${String(r.status)} ${r.reasons.join('; ')}`);
      await new Promise((t) => setTimeout(t, intervalMs));
    }
  })();
  return {
    stop: async () => {
      on.polling = false;
      await poll;
      return unready;
    },
  };
}

/** Waits until every worker's /readyz answers `status` (with a reason matching `reason`, when given). */
export async function untilReadiness(s: PaystreamSystem, status: 200 | 503, reason?: RegExp, timeoutMs = 60_000): Promise<Readiness[]> {
  let last: Readiness[] = [];
  return until(
    async () => {
      last = await readiness(s);
      return last.every((r) => r.status === status && (!reason || r.reasons.some((x) => reason.test(x)))) ? last : undefined;
    },
    () => `the workers' /readyz: ${JSON.stringify(last)}`,
    { timeoutMs, intervalMs: 200 },
  );
}
