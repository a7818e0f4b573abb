import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KeyedScheduler } from './keyed-scheduler.ts';

describe('KeyedScheduler', () => {
  it('runs one key in order and different keys concurrently, within the bound', async () => {
    const s = new KeyedScheduler(8);
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      const key = `k${String(i % 4)}`;
      await s.waitForRoom();
      jobs.push(
        s.submit(key, async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(Math.random() * 5);
          log.push(`${key}:${String(i)}`);
          running--;
        }),
      );
    }
    await Promise.all(jobs);
    await s.drain();
    for (const key of ['k0', 'k1', 'k2', 'k3']) {
      const seq = log.filter((l) => l.startsWith(`${key}:`)).map((l) => Number(l.split(':')[1]));
      expect(seq).toEqual([...seq].sort((a, b) => a - b));
    }
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(4);
    expect(s.pending).toBe(0);
  });

  it('reports full at the bound and wakes a waiter when a task ends', async () => {
    const s = new KeyedScheduler(2);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    void s.submit('a', () => gate);
    void s.submit('b', () => gate);
    expect(s.full).toBe(true);
    let woke = false;
    const waiting = s.waitForRoom().then(() => (woke = true));
    await sleep(5);
    expect(woke).toBe(false);
    release();
    await waiting;
    expect(woke).toBe(true);
  });

  it('keeps a key going after a failed task', async () => {
    const s = new KeyedScheduler(4);
    const failed = s.submit('k', () => Promise.reject(new Error('boom')));
    const after = s.submit('k', () => Promise.resolve());
    await expect(failed).rejects.toThrow('boom');
    await expect(after).resolves.toBeUndefined();
  });
});
