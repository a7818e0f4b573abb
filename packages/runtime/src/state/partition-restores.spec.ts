// Restores of state partitions with a faked index and admin: when a partition's commands may go on,
// the bulk mode of a start (everything waits for everything) against a partition taken over later
// (only it waits), a stop releasing every waiter, and brokers away while a partition's end is learnt.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrderStore } from './order-store.ts';
import { PartitionRestores } from './partition-restores.ts';

const TOPIC = 'paystream.orders.state';

interface Ends {
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

function fakes(ends: Ends[], failures = 0, sorted: Promise<void> = Promise.resolve()) {
  const checkpoints = new Map<number, number>();
  const calls: string[] = [];
  const resumed: [number, number][] = [];
  const index = {
    checkpoint: (p: number) => checkpoints.get(p),
    restoring: () => {
      calls.push('restoring');
      return () => calls.push('finish');
    },
    sortInStaged: () => {
      calls.push('sort');
      return sorted;
    },
  } as unknown as OrderStore;
  let failing = failures;
  const admin = {
    fetchTopicOffsets: (topic: string) => {
      calls.push(`offsets ${topic}`);
      if (failing-- > 0) return Promise.reject(new Error('brokers away'));
      return Promise.resolve(
        ends.map((e) => ({ partition: e.partition, offset: String(e.high), low: String(e.low), high: String(e.high) })),
      );
    },
  };
  const restores = new PartitionRestores(index, admin, TOPIC);
  const begin = (p: number): void => restores.begin(p, (offset) => resumed.push([p, offset]));
  /** The partition's records applied up to `next`, as the follower does after each batch. */
  const apply = (p: number, next: number): void => {
    checkpoints.set(p, next);
    restores.progressed(p);
  };
  return { restores, checkpoints, calls, resumed, begin, apply };
}

/** Lets the located ends and resolved waiters run. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function watch(p: Promise<void> | undefined): { readonly done: boolean } {
  const state = { done: false };
  void p?.then(() => (state.done = true));
  return state;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('partition restores', () => {
  it('lets a partition whose checkpoint already reaches its end go on at once, resuming it at the checkpoint', async () => {
    const f = fakes([{ partition: 0, low: 0, high: 40 }]);
    f.checkpoints.set(0, 40);
    f.begin(0);
    expect(f.restores.pending).toBe(true);
    await settle();
    expect(f.resumed).toEqual([[0, 40]]);
    expect(f.restores.pending).toBe(false);
    expect(f.restores.ready(0)).toBeUndefined();
    expect(f.calls).toEqual(['restoring', `offsets ${TOPIC}`, 'sort', 'finish']);
  });

  it('holds a partition until the records applied reach the end it had when taken, from its start or the log start', async () => {
    const f = fakes([
      { partition: 0, low: 0, high: 10 },
      { partition: 1, low: 7, high: 12 },
    ]);
    f.begin(0);
    f.begin(1);
    const zero = watch(f.restores.ready(0));
    await settle();
    expect(f.resumed).toEqual([
      [0, 0],
      [1, 7],
    ]);
    f.apply(0, 9);
    await settle();
    expect(zero.done).toBe(false);
    f.apply(0, 10);
    f.apply(1, 12);
    await settle();
    expect(zero.done).toBe(true);
    expect(f.restores.ready(0)).toBeUndefined();
    expect(f.restores.ready(1)).toBeUndefined();
  });

  it('restores in bulk at a start: the index restores once and every partition waits for all of them', async () => {
    const f = fakes([0, 1, 2].map((partition) => ({ partition, low: 0, high: 5 })));
    for (const p of [0, 1, 2]) f.begin(p);
    const waiting = [0, 1, 2].map((p) => watch(f.restores.ready(p)));
    const all = watch(f.restores.all());
    await settle();
    f.apply(0, 5);
    f.apply(1, 5);
    await settle();
    expect(waiting.map((w) => w.done)).toEqual([false, false, false]);
    expect(all.done).toBe(false);
    expect(f.calls.filter((c) => c === 'restoring')).toHaveLength(1);
    expect(f.calls).not.toContain('finish');
    f.apply(2, 5);
    await settle();
    expect(waiting.map((w) => w.done)).toEqual([true, true, true]);
    expect(all.done).toBe(true);
    expect(f.calls.filter((c) => c === 'restoring' || c === 'finish')).toEqual(['restoring', 'finish']);
  });

  it('restores a partition taken over while others serve in the ordinary mode, and only its commands wait', async () => {
    const f = fakes([0, 1, 2].map((partition) => ({ partition, low: 0, high: 5 })));
    f.begin(0);
    f.begin(1);
    await settle();
    f.apply(0, 5);
    f.apply(1, 5);
    await settle();
    f.begin(2);
    expect(f.restores.ready(0)).toBeUndefined();
    expect(f.restores.ready(1)).toBeUndefined();
    const two = watch(f.restores.ready(2));
    await settle();
    f.apply(2, 4);
    await settle();
    expect(two.done).toBe(false);
    f.apply(2, 5);
    await settle();
    expect(two.done).toBe(true);
    expect(f.calls.filter((c) => c === 'restoring' || c === 'finish')).toEqual(['restoring', 'finish']);
  });

  it('does not turn to bulk mode while a partition restores in the ordinary mode', async () => {
    // A worker that served partition 0, owned nothing long enough for it to be dropped, then takes 1 and 0 again.
    const f = fakes([0, 1].map((partition) => ({ partition, low: 0, high: 5 })));
    f.begin(0);
    await settle();
    f.apply(0, 5);
    await settle(); // the bulk restore sorts in what it staged and ends
    f.checkpoints.delete(0);
    f.begin(1);
    const one = watch(f.restores.ready(1));
    await settle();
    f.begin(0);
    await settle();
    expect(f.calls.filter((c) => c === 'restoring')).toHaveLength(1);
    f.apply(1, 5);
    await settle();
    expect(one.done).toBe(true);
    expect(f.restores.ready(0)).toBeDefined();
    f.apply(0, 5);
    expect(f.restores.pending).toBe(false);
  });

  it('ends a bulk restore without a partition given away before it was restored', async () => {
    const f = fakes([0, 1].map((partition) => ({ partition, low: 0, high: 5 })));
    f.begin(0);
    f.begin(1);
    const kept = watch(f.restores.ready(0));
    await settle();
    f.apply(0, 5);
    await settle();
    expect(kept.done).toBe(false); // the bulk restore waits for partition 1 too
    f.restores.abandon(1);
    await settle();
    expect(kept.done).toBe(true);
    expect(f.restores.pending).toBe(false);
    expect(f.calls.filter((c) => c === 'finish')).toHaveLength(1);
  });

  it('stays pending while a bulk restore sorts in what it staged, and asks the topic’s ends once for a join', async () => {
    let sortedIn = (): void => undefined;
    const f = fakes(
      [0, 1, 2].map((partition) => ({ partition, low: 0, high: 5 })),
      0,
      new Promise((r) => (sortedIn = r)),
    );
    [0, 1, 2].forEach((p) => f.begin(p));
    const everything = watch(f.restores.all());
    await settle();
    expect(f.calls.filter((c) => c.startsWith('offsets'))).toHaveLength(1);
    [0, 1, 2].forEach((p) => f.apply(p, 5));
    await settle();
    // Every partition reached its end, but the staged references are not found until sorted in.
    expect(f.restores.pending).toBe(true);
    expect(everything.done).toBe(false);
    sortedIn();
    await settle();
    expect(f.restores.pending).toBe(false);
    expect(everything.done).toBe(true);
  });

  it('releases every waiter when cancelled, the partitions never restored', async () => {
    const f = fakes([0, 1].map((partition) => ({ partition, low: 0, high: 5 })));
    f.begin(0);
    f.begin(1);
    const waiting = [watch(f.restores.ready(0)), watch(f.restores.ready(1)), watch(f.restores.all())];
    await settle();
    expect(waiting.map((w) => w.done)).toEqual([false, false, false]);
    f.restores.cancel();
    await settle();
    expect(waiting.map((w) => w.done)).toEqual([true, true, true]);
    expect(f.restores.pending).toBe(false);
    // What the bulk restore staged stays staged, for the next start to sort in: a stop never waits for it.
    expect(f.calls).not.toContain('finish');
  });

  it('learns the end again while the brokers are away, the partition waiting meanwhile', async () => {
    vi.useFakeTimers();
    const f = fakes([{ partition: 0, low: 0, high: 3 }], 2);
    f.begin(0);
    const zero = watch(f.restores.ready(0));
    await vi.advanceTimersByTimeAsync(0);
    expect(f.resumed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.resumed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.resumed).toEqual([[0, 0]]);
    expect(f.calls.filter((c) => c.startsWith('offsets'))).toHaveLength(3);
    expect(zero.done).toBe(false);
    f.apply(0, 3);
    await vi.advanceTimersByTimeAsync(0);
    expect(zero.done).toBe(true);
  });

  it('waits for a partition the topic no longer has until it is cancelled', async () => {
    vi.useFakeTimers();
    const f = fakes([{ partition: 0, low: 0, high: 3 }]);
    f.begin(4);
    const four = watch(f.restores.ready(4));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(f.resumed).toEqual([]);
    expect(four.done).toBe(false);
    f.restores.cancel();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(four.done).toBe(true);
    expect(f.calls.filter((c) => c.startsWith('offsets')).length).toBeGreaterThanOrEqual(3);
  });
});
