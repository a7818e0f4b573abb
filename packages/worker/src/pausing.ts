// Consumption of a plugin pauses while Midtrans cannot answer it: while a circuit breaker of its API
// family is not closed, and while Midtrans refuses (or the key ring revokes) its merchant's
// credentials, which are probed until they work again.
import { probeSigner } from '@paystream/core';
import { CredentialsWatch, PauseControl } from '@paystream/runtime';
import { watchBreakers } from './breaker-watch.ts';
import { probeCredentials } from './credentials-probe.ts';
import type { WorkerParts } from './tokens.ts';

export interface Pausing {
  readonly control: PauseControl;
  readonly credentials: CredentialsWatch;
  /** Stops probing credentials and following key reloads. */
  stopProbes(): void;
  /** Stops following the breakers (once nothing calls Midtrans any more). */
  stopBreakers(): void;
}

const CHECKING_KEYS = 'checking the HSM and KMS keys';

/**
 * A merchant key in an HSM or a KMS is asked for a probe signature at start and after each reload:
 * one that cannot sign (token missing, PIN refused, KMS unreachable) pauses its BI-SNAP methods with
 * the reason until the credentials probe sees a token issued again. At start those wait for the
 * answer; after a reload they keep running meanwhile, so that rotating a file never flaps readiness.
 */
async function reportUnsignable(
  parts: Pick<WorkerParts, 'keyRing'>,
  control: PauseControl,
  credentials: CredentialsWatch,
  { atStart }: { atStart: boolean },
): Promise<void> {
  const { keyRing } = parts;
  const remote = keyRing.merchantNames().filter((m) => keyRing.merchant(m).signer.kind !== 'file');
  if (remote.length === 0) return;
  if (atStart) control.set(CHECKING_KEYS, true, (t) => t.api === 'snap');
  try {
    for (const m of remote) {
      const status = await probeSigner(keyRing.merchant(m).signer);
      if (!status.ready) credentials.report(m, 'snap', status.reason);
    }
  } finally {
    if (atStart) control.set(CHECKING_KEYS, false);
  }
}

/** Pauses and resumes the consumers; `onBreakerChange` hears every breaker change after the pause has followed it. */
export function pauseWhileMidtransRefuses(
  parts: Pick<WorkerParts, 'keyRing' | 'client' | 'plugins' | 'settings' | 'log' | 'consumers' | 'onBreakerChange'>,
): Pausing {
  const { keyRing, plugins, settings, log, consumers } = parts;
  const control = new PauseControl(
    [...plugins.values()].map((p) => ({
      method: p.method,
      api: p.api,
      pause: () => consumers.get(p.method)?.pause(),
      resume: () => consumers.get(p.method)?.resume(),
    })),
    (reasons) => log.warn({ reasons, paused: control.paused() }, reasons.length > 0 ? 'consumption paused' : 'consumption resumed'),
  );
  const credentials = new CredentialsWatch({
    control,
    probe: (merchant, family) => probeCredentials(parts, merchant, family),
    intervalMs: settings.credentialsProbeMs,
    onChange: (e) =>
      log.warn(
        e,
        !e.refused
          ? 'the credentials work again: consumption resumes'
          : e.detail === undefined
            ? 'Midtrans refuses the credentials: consumption of their plugins pauses'
            : 'the merchant key cannot sign: consumption of its plugins pauses',
      ),
  });
  const offBreakers = watchBreakers(parts, {
    control,
    onChange: parts.onBreakerChange,
    onProbeFailed: (c, err) => log.info({ ...c, err }, 'Midtrans still failing: the breaker probes again after its reset timeout'),
  });
  const families = new Set([...plugins.values()].map((p) => p.api));
  const reportRevoked = (): void => {
    for (const m of keyRing.merchantNames()) if (keyRing.merchant(m).revoked) for (const f of families) credentials.report(m, f);
  };
  reportRevoked();
  void reportUnsignable(parts, control, credentials, { atStart: true });
  const offReload = keyRing.onReload(({ ok }) => {
    if (!ok) return;
    reportRevoked();
    void reportUnsignable(parts, control, credentials, { atStart: false });
    void credentials.check();
  });
  return {
    control,
    credentials,
    stopProbes: () => {
      offReload();
      credentials.stop();
    },
    stopBreakers: offBreakers,
  };
}
