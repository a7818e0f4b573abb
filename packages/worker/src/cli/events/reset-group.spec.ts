// `events reset-group` plans from the group's committed offsets and the topic's offsets for the time,
// refuses Paystream's own groups, an unknown group and a group with live members, and turns the
// refusal kafkajs words for a member that joined meanwhile into its code.
import type { Admin } from 'kafkajs';
import { PaystreamError } from '@paystream/core';
import { topology } from '@paystream/runtime';
import { describe, expect, it } from 'vitest';
import { applyReset, isActive, ownerOf, planReset, planTable, refuseIfActive } from './reset-group.ts';

const names = topology('live.');

function fakeAdmin(opts: { state: string; members: number; committed: string[]; targets: string[]; setOffsets?: () => Promise<void> }): {
  admin: Admin;
  set: unknown[];
} {
  const set: unknown[] = [];
  const admin = {
    describeGroups: () =>
      Promise.resolve({ groups: [{ groupId: 'g', state: opts.state, members: Array.from({ length: opts.members }, () => ({})) }] }),
    fetchOffsets: () => Promise.resolve([{ topic: 't', partitions: opts.committed.map((offset, partition) => ({ partition, offset })) }]),
    fetchTopicOffsetsByTimestamp: () => Promise.resolve(opts.targets.map((offset, partition) => ({ partition, offset }))),
    setOffsets: (request: unknown) => {
      set.push(request);
      return opts.setOffsets ? opts.setOffsets() : Promise.resolve();
    },
  } as unknown as Admin;
  return { admin, set };
}

const code = (err: unknown): string | undefined => (PaystreamError.is(err) ? err.code : undefined);

describe('ownerOf', () => {
  it("names Paystream's own groups, under the deployment's prefix or none, and no downstream group", () => {
    expect(ownerOf(names, 'live.paystream.worker.gopay')).toBe('the worker');
    expect(ownerOf(names, 'paystream.worker.qris')).toBe('the worker');
    expect(ownerOf(names, 'live.paystream.worker-notifications')).toBe("the workers' notification handovers");
    expect(ownerOf(names, 'paystream-state-1234')).toBe('the order-state readers');
    expect(ownerOf(names, 'paystream-dlq-1234')).toBe('the DLQ readers');
    expect(ownerOf(names, 'paystream-reader-1234')).toBe("the operator commands' readers");
    expect(ownerOf(names, 'ledger.results')).toBeUndefined();
    expect(ownerOf(names, 'live.ledger.paystream.results')).toBeUndefined();
  });
});

describe('planReset', () => {
  it("pairs each partition's committed offset with the first offset at or after the time", async () => {
    const { admin } = fakeAdmin({ state: 'Empty', members: 0, committed: ['120', '-1', '7'], targets: ['100', '0', '9'] });
    const plan = await planReset(admin, 'ledger.results', 't', 1000);
    expect(plan.moves).toEqual([
      { partition: 0, committed: 120, to: 100 },
      { partition: 1, committed: undefined, to: 0 },
      { partition: 2, committed: 7, to: 9 },
    ]);
    expect(isActive(plan)).toBe(false);
    expect(planTable(plan).split('\n')).toEqual([
      'PARTITION  COMMITTED  TO   MOVE',
      '0          120        100  -20',
      '1          -          0    new',
      '2          7          9    +2',
    ]);
  });

  it('refuses a group that never committed on the topic: a misspelt name would create one', async () => {
    const { admin } = fakeAdmin({ state: 'Dead', members: 0, committed: ['-1', '-1'], targets: ['0', '0'] });
    expect(code(await planReset(admin, 'ledgr.results', 't', 1000).catch((e: unknown) => e))).toBe('PS_ERR_EVENTS_GROUP_UNKNOWN');
  });
});

describe('applying a reset', () => {
  it('refuses a group with live members, and moves an empty one', async () => {
    const live = fakeAdmin({ state: 'Stable', members: 2, committed: ['5'], targets: ['0'] });
    const plan = await planReset(live.admin, 'ledger.results', 't', 1000);
    expect(() => refuseIfActive(plan)).toThrow(/2 live member\(s\) \(state Stable\)/);
    const empty = fakeAdmin({ state: 'Empty', members: 0, committed: ['5', '6'], targets: ['0', '1'] });
    const ready = await planReset(empty.admin, 'ledger.results', 't', 1000);
    refuseIfActive(ready);
    await applyReset(empty.admin, ready);
    expect(empty.set).toEqual([
      {
        groupId: 'ledger.results',
        topic: 't',
        partitions: [
          { partition: 0, offset: '0' },
          { partition: 1, offset: '1' },
        ],
      },
    ]);
  });

  it('names a member that joined after the plan by the code', async () => {
    const { admin } = fakeAdmin({
      state: 'Stable',
      members: 1,
      committed: ['5'],
      targets: ['0'],
      setOffsets: () => Promise.reject(new Error('The consumer group must have no running instances, current state: Stable')),
    });
    const plan = { group: 'ledger.results', topic: 't', state: 'Empty', members: 0, moves: [{ partition: 0, committed: 5, to: 0 }] };
    const err = await applyReset(admin, plan).catch((e: unknown) => e);
    expect(code(err)).toBe('PS_ERR_EVENTS_GROUP_ACTIVE');
  });
});
