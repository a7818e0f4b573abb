// The co-partitioning assigner with fake members: balance, the same partition numbers per worker
// whatever the topic or memberIds, few moves when one worker joins or leaves, and members without a
// usable instance id getting nothing instead of breaking the rebalance.
import { randomUUID } from 'node:crypto';
import { AssignerProtocol, type Cluster, type GroupMember, type Logger } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { CO_PARTITIONED_PROTOCOL, coPartitionedAssigner, decodeMember } from './co-partitioned-assigner.ts';

const fakeCluster = (partitionsByTopic: Record<string, number>): Cluster =>
  ({
    findTopicPartitionMetadata: (topic: string) =>
      Array.from({ length: partitionsByTopic[topic] ?? 0 }, (_, partitionId) => ({
        partitionId,
        partitionErrorCode: 0,
        leader: 0,
        replicas: [0],
        isr: [0],
      })),
  }) as unknown as Cluster;

const fakeLogger = (): Logger & { warn: ReturnType<typeof vi.fn> } => {
  const logger = { info: vi.fn(), error: vi.fn(), warn: vi.fn(), debug: vi.fn(), setLogLevel: vi.fn() };
  return { ...logger, namespace: () => logger } as unknown as Logger & { warn: ReturnType<typeof vi.fn> };
};

/** A group member as a worker with this instance id announces itself. */
function member(instanceId: string, topics: string[], memberId = `${instanceId}-${randomUUID()}`): GroupMember {
  const assigner = coPartitionedAssigner(instanceId)({ cluster: fakeCluster({}), groupId: 'g', logger: fakeLogger() });
  return { memberId, memberMetadata: assigner.protocol({ topics }).metadata };
}

/** Runs the assigner and returns each member's partitions per topic (every member appears, maybe empty). */
async function assign(
  partitionsByTopic: Record<string, number>,
  members: GroupMember[],
  logger: Logger = fakeLogger(),
): Promise<Map<string, Record<string, number[]>>> {
  const topics = Object.keys(partitionsByTopic);
  const assigner = coPartitionedAssigner('leader')({ cluster: fakeCluster(partitionsByTopic), groupId: 'g', logger });
  const result = await assigner.assign({ members, topics });
  return new Map(result.map((r) => [r.memberId, AssignerProtocol.MemberAssignment.decode(r.memberAssignment)?.assignment ?? {}]));
}

/** The partitions of one topic per instance id, for members named `${instanceId}-${uuid}`. */
function byInstance(assigned: Map<string, Record<string, number[]>>, topic: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [memberId, perTopic] of assigned) out[memberId.slice(0, -37)] = [...(perTopic[topic] ?? [])].sort((a, b) => a - b);
  return out;
}

const fleet = (n: number): string[] => Array.from({ length: n }, (_, i) => `worker-${String(i + 1)}`);

function moves(before: Record<string, number[]>, after: Record<string, number[]>): number {
  const ownerBefore = new Map(Object.entries(before).flatMap(([id, ps]) => ps.map((p) => [p, id] as const)));
  return Object.entries(after).reduce((n, [id, ps]) => n + ps.filter((p) => ownerBefore.get(p) !== id).length, 0);
}

describe('coPartitionedAssigner', () => {
  it('refuses an empty instance id or one over 255 bytes, and announces the id in its protocol metadata', () => {
    expect(() => coPartitionedAssigner('')).toThrow(RangeError);
    expect(() => coPartitionedAssigner('é'.repeat(128))).toThrow(RangeError);
    expect(() => coPartitionedAssigner('x'.repeat(255))).not.toThrow();
    const assigner = coPartitionedAssigner('wörker-1')({ cluster: fakeCluster({}), groupId: 'g', logger: fakeLogger() });
    const { name, metadata } = assigner.protocol({ topics: ['a', 'b'] });
    expect(name).toBe(CO_PARTITIONED_PROTOCOL);
    expect(assigner.name).toBe(CO_PARTITIONED_PROTOCOL);
    expect(decodeMember({ memberId: 'm', memberMetadata: metadata })).toEqual({
      memberId: 'm',
      instanceId: 'wörker-1',
      topics: ['a', 'b'],
    });
  });

  it('gives every member floor(P/N) or ceil(P/N) partitions and every partition exactly one owner', async () => {
    for (const p of [1, 3, 6, 12]) {
      for (let n = 1; n <= 5; n++) {
        const assigned = byInstance(
          await assign(
            { t: p },
            fleet(n).map((id) => member(id, ['t'])),
          ),
          't',
        );
        const counts = Object.values(assigned).map((ps) => ps.length);
        expect(
          counts.every((c) => c === Math.floor(p / n) || c === Math.ceil(p / n)),
          `P=${String(p)} N=${String(n)}`,
        ).toBe(true);
        expect(
          Object.values(assigned)
            .flat()
            .sort((a, b) => a - b),
        ).toEqual(Array.from({ length: p }, (_, i) => i));
      }
    }
  });

  it('gives each instance the same partition numbers across topic names, memberIds and member order', async () => {
    const ids = fleet(4);
    const groupA = await assign(
      { 'paystream.commands.qris': 6, 'paystream.orders.state': 6 },
      ids.map((id) => member(id, ['paystream.commands.qris', 'paystream.orders.state'])),
    );
    const groupB = await assign(
      { 'paystream.notifications': 6 },
      [...ids].reverse().map((id) => member(id, ['paystream.notifications'])),
    );
    const reference = byInstance(groupA, 'paystream.commands.qris');
    expect(byInstance(groupA, 'paystream.orders.state')).toEqual(reference);
    expect(byInstance(groupB, 'paystream.notifications')).toEqual(reference);
    expect(Object.values(reference).flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('moves at most about P/N + 1 partitions of 12 when one worker joins or leaves', async () => {
    const p = 12;
    for (let n = 1; n <= 5; n++) {
      const smaller = byInstance(
        await assign(
          { t: p },
          fleet(n).map((id) => member(id, ['t'])),
        ),
        't',
      );
      const larger = byInstance(
        await assign(
          { t: p },
          fleet(n + 1).map((id) => member(id, ['t'])),
        ),
        't',
      );
      const bound = Math.ceil(p / n) + 1;
      expect(moves(smaller, larger), `join ${String(n)} -> ${String(n + 1)}`).toBeLessThanOrEqual(bound);
      expect(moves(larger, smaller), `leave ${String(n + 1)} -> ${String(n)}`).toBeLessThanOrEqual(bound);
    }
  });

  it('splits deterministically between two members with one instance id, ordered by memberId', async () => {
    const members = [member('worker-1', ['t'], 'worker-1-b'), member('worker-1', ['t'], 'worker-1-a'), member('worker-2', ['t'])];
    const first = await assign({ t: 6 }, members);
    const second = await assign({ t: 6 }, [...members].reverse());
    expect(second).toEqual(first);
    expect([...first.values()].map((a) => a['t']?.length ?? 0)).toEqual([2, 2, 2]);
    expect([...first.values()].flatMap((a) => a['t'] ?? []).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives a member without a usable instance id nothing, logs a warning, and shares everything among the rest', async () => {
    const logger = fakeLogger();
    const bad: GroupMember[] = [
      { memberId: 'garbage', memberMetadata: Buffer.from([0xff, 0x01]) },
      {
        memberId: 'no-id',
        memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics: ['t'], userData: Buffer.alloc(0) }),
      },
      {
        memberId: 'too-long',
        memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics: ['t'], userData: Buffer.alloc(256, 0x61) }),
      },
      {
        memberId: 'not-utf8',
        memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics: ['t'], userData: Buffer.from([0xc3, 0x28]) }),
      },
    ];
    const assigned = await assign({ t: 6 }, [...bad, member('worker-1', ['t']), member('worker-2', ['t'])], logger);
    for (const { memberId } of bad) expect(assigned.get(memberId)).toEqual({});
    expect(logger.warn).toHaveBeenCalledTimes(bad.length);
    expect([...assigned.values()].flatMap((a) => a['t'] ?? []).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives a topic only to the members subscribed to it', async () => {
    const assigned = await assign({ a: 3, b: 3 }, [member('worker-1', ['a']), member('worker-2', ['a', 'b'])]);
    const perMember = [...assigned.values()];
    expect(perMember[0]?.['b']).toBeUndefined();
    expect(perMember[1]?.['b']).toEqual([0, 1, 2]);
  });
});
