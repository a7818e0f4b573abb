import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CredentialsWatch, type ProbeVerdict } from './credentials-watch.ts';
import { PauseControl } from './pause-control.ts';

describe('CredentialsWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pauses the family whose credentials were refused until a probe finds them valid again', async () => {
    const log: string[] = [];
    const control = new PauseControl([
      { method: 'gopay', api: 'snap', pause: () => log.push('gopay paused'), resume: () => log.push('gopay resumed') },
      { method: 'card-3ds', api: 'core', pause: () => log.push('card paused'), resume: () => log.push('card resumed') },
    ]);
    let verdict: ProbeVerdict = 'refused';
    const probes: string[] = [];
    const watch = new CredentialsWatch({
      control,
      intervalMs: 1_000,
      probe: (m, f) => (probes.push(`${m}/${f}`), Promise.resolve(verdict)),
    });
    watch.report('default', 'snap');
    watch.report('default', 'snap');
    expect(control.reasons()).toEqual(['credentials refused: default/snap']);
    await vi.advanceTimersByTimeAsync(3_500);
    expect(log).toEqual(['gopay paused']);
    verdict = 'unknown';
    await vi.advanceTimersByTimeAsync(1_000);
    expect(watch.refused).toEqual(['default/snap']);
    verdict = 'valid';
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(['gopay paused', 'gopay resumed']);
    expect(control.reasons()).toEqual([]);
    const count = probes.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(probes.length).toBe(count);
  });

  it('names the latest cause of a key that cannot sign, without resuming between two causes', () => {
    const log: string[] = [];
    const control = new PauseControl([
      { method: 'gopay', api: 'snap', pause: () => log.push('paused'), resume: () => log.push('resumed') },
    ]);
    const watch = new CredentialsWatch({ control, intervalMs: 1_000, probe: () => Promise.resolve('refused' as const) });
    watch.report('default', 'snap', 'the token refused the PIN (CKR_PIN_INCORRECT)');
    watch.report('default', 'snap');
    expect(control.reasons()).toEqual(['credentials refused: default/snap (the token refused the PIN (CKR_PIN_INCORRECT))']);
    watch.report('default', 'snap', 'no token labelled "paystream" is present');
    expect(control.reasons()).toEqual(['credentials refused: default/snap (no token labelled "paystream" is present)']);
    expect(log).toEqual(['paused']);
    watch.stop();
  });
});
