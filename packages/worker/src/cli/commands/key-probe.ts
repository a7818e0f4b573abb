// Where each credential set's merchant key lives and whether it signs now: a probe signature made
// through the key's own signer (a file, an HSM session, a KMS call) and verified with the configured
// public key. `keys check` and `config check` report it; nothing here ever sees private key bytes.
import { probeSigner, type CoreServices } from '@paystream/core';
import { openCommandCore } from '../command-core.ts';
import { coreConfigOf, loadWorkerConfig } from '../../config/worker-config.ts';
import { configFlags } from './config-flags.ts';

export interface MerchantKeyReport {
  readonly merchant: string;
  readonly store: 'plain file' | 'encrypted file' | 'pkcs11' | 'kms';
  readonly location: string;
  readonly fingerprint: string;
  readonly revoked: boolean;
  /** `verified`, or why the probe signature failed. */
  readonly probe: string;
  readonly ok: boolean;
}

export async function probeMerchantKeys(core: Pick<CoreServices, 'keyRing'>): Promise<MerchantKeyReport[]> {
  const reports: MerchantKeyReport[] = [];
  for (const merchant of core.keyRing.merchantNames()) {
    const keys = core.keyRing.merchant(merchant);
    const { signer } = keys;
    const status = await probeSigner(signer);
    reports.push({
      merchant,
      store: signer.kind === 'file' ? (keys.plainKeyFile ? 'plain file' : 'encrypted file') : signer.kind,
      location: signer.location,
      fingerprint: signer.fingerprint,
      revoked: keys.revoked,
      probe: status.ready ? 'verified' : status.reason,
      ok: status.ready && !keys.revoked,
    });
  }
  return reports;
}

/** One line per credential set, for people. */
export function describeMerchantKey(r: MerchantKeyReport): string {
  const verdict = r.revoked ? 'REVOKED' : r.probe === 'verified' ? 'ok' : 'BAD';
  return `${verdict.padEnd(7)} ${r.merchant}: ${r.store} (${r.location}), SPKI SHA-256 ${r.fingerprint}, probe signature ${r.probe}`;
}

/** `keys check` with a configuration: every credential set's key, wherever it lives, probed. */
export async function checkConfiguredKeys(values: Record<string, string | boolean | string[] | undefined>): Promise<number> {
  const { config } = loadWorkerConfig(configFlags(values));
  const core = await openCommandCore(coreConfigOf(config));
  try {
    const reports = await probeMerchantKeys(core);
    if (values['json'] === true) console.log(JSON.stringify(reports, null, 2));
    else for (const r of reports) console.log(describeMerchantKey(r));
    return reports.every((r) => r.ok) ? 0 : 1;
  } finally {
    await core.close();
  }
}
