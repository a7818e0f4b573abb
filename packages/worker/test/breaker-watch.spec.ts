// The breakers against the simulator: consumption pauses while Midtrans fails and resumes by itself
// once it answers again — also when the breaker was opened by calls no command is waiting behind
// (the ingress' and the reconciler's inquiries), so that no command's retry will ever come to close it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCore, createLogger, MidtransError, parseCoreConfig, type BreakerStateChange, type CoreServices } from '@paystream/core';
import { PauseControl, type Pausable } from '@paystream/runtime';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { watchBreakers } from '../src/breaker-watch.ts';
import { coreConfigFromSimulator } from '../src/config/from-simulator.ts';
import { CORE_PROBE_PATH } from '../src/credentials-probe.ts';

const RESET_MS = 300;
const dir = mkdtempSync(join(tmpdir(), 'paystream-breakers-'));
let sim: Simulator;
let core: CoreServices;
let off: (() => void) | undefined;

beforeAll(async () => {
  sim = await startSimulator();
  const descriptor = join(dir, 'sim.json');
  writeDescriptor(sim, descriptor);
  const config = parseCoreConfig({
    ...coreConfigFromSimulator(descriptor, join(dir, 'keys')),
    http: { maxAttempts: 1 },
    breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: RESET_MS, rollingCountTimeoutMs: 10_000 },
  });
  core = await createCore(config, {
    logger: createLogger({ name: 't', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() })),
    watchKeys: false,
  });
});

afterEach(() => {
  off?.();
  sim.faults.clear();
});

afterAll(async () => {
  await core.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A plugin's consumer as the pause control sees it, recording what it was told. */
function consumer(api: 'snap' | 'core'): Pausable & { readonly log: string[] } {
  const log: string[] = [];
  return { method: `a-${api}-plugin`, api, log, pause: () => log.push('pause'), resume: () => log.push('resume') };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Status inquiries about no order until the breaker refuses to send more: what the ingress does with a notification while Midtrans fails. */
async function openBreaker(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const err = await core.client.coreApi({ method: 'GET', path: '/v2/some-order/status' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (MidtransError.is(err) && err.kind === 'circuit-open') return;
  }
  throw new Error('the breaker never opened');
}

describe('watchBreakers', () => {
  it('pauses the plugins of the failing API family and, with no command waiting, probes the half-open breaker itself and resumes them', async () => {
    const core1 = consumer('core');
    const snap1 = consumer('snap');
    const control = new PauseControl([core1, snap1]);
    const changes: BreakerStateChange['state'][] = [];
    off = watchBreakers(core, { control, onChange: (c) => changes.push(c.state) });

    sim.faults.add({ kind: 'error-500', path: '/v2/' });
    await openBreaker();
    expect(core1.log).toEqual(['pause']);
    expect(snap1.log).toEqual([]);
    expect(control.reasons()).toEqual(['circuit breaker open: default/core']);

    // Still failing: each half-open probe opens it again, one request per reset period.
    const before = sim.requests.length;
    await new Promise((r) => setTimeout(r, RESET_MS * 4));
    const probes = sim.requests.slice(before).filter((r) => r.path === CORE_PROBE_PATH);
    expect(probes.length).toBeGreaterThanOrEqual(1);
    expect(probes.length).toBeLessThanOrEqual(4);
    expect(sim.requests.length - before).toBe(probes.length);
    expect(core1.log).toEqual(['pause']);

    // Midtrans answers again; nobody calls it but the probe.
    sim.faults.clear();
    await until(() => core1.log.length === 2, RESET_MS * 10);
    expect(core1.log).toEqual(['pause', 'resume']);
    expect(control.reasons()).toEqual([]);
    expect(changes.at(-1)).toBe('closed');
    expect(changes).toContain('half-open');
  });

  it('sends no probe of its own while the breaker is closed', async () => {
    const control = new PauseControl([consumer('core')]);
    let probes = 0;
    off = watchBreakers(core, {
      control,
      probe: () => {
        probes++;
        return Promise.resolve();
      },
    });
    await core.client.coreApi({ method: 'GET', path: '/v2/another-order/status' });
    await new Promise((r) => setTimeout(r, RESET_MS * 2));
    expect(probes).toBe(0);
  });
});
