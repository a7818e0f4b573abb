// `events reset-group`: a downstream service's consumer group on the results topic moved back (or
// forward) to the first event at or after a time, so the service reads the results again from
// there. Planned from the group's committed offsets and the topic's offsets for the time; applied
// only on request, only to an empty group, and never to one of Paystream's own groups.
import type { Admin } from 'kafkajs';
import { codes, PaystreamError } from '@paystream/core';
import { STATE_READER_GROUP_PREFIX, TOPIC_READER_GROUP_PREFIX, topology, type Topology } from '@paystream/runtime';
import { DLQ_READER_GROUP_PREFIX } from '../dlq/dlq-records.ts';

export interface GroupMove {
  readonly partition: number;
  /** The group's committed offset; undefined when it has none on this partition. */
  readonly committed: number | undefined;
  readonly to: number;
}

export interface ResetPlan {
  readonly group: string;
  readonly topic: string;
  readonly state: string;
  readonly members: number;
  readonly moves: readonly GroupMove[];
}

const READER_PREFIXES: readonly (readonly [string, string])[] = [
  [STATE_READER_GROUP_PREFIX, 'the order-state readers'],
  [DLQ_READER_GROUP_PREFIX, 'the DLQ readers'],
  [TOPIC_READER_GROUP_PREFIX, "the operator commands' readers"],
  ['paystream-cli-', 'paystream publish --wait'],
];

/** Which part of Paystream a group belongs to, if it is one of its own (under this prefix or none). */
export function ownerOf(names: Topology, group: string): string | undefined {
  for (const t of [names, topology()]) {
    if (group.startsWith(t.group(''))) return 'the worker';
    if (group === t.notificationsGroup) return "the workers' notification handovers";
  }
  return READER_PREFIXES.find(([prefix]) => group.startsWith(prefix))?.[1];
}

/** A group with members holds its partitions: Kafka moves its offsets only when it is empty (or gone). */
export const isActive = (plan: Pick<ResetPlan, 'state' | 'members'>): boolean =>
  plan.members > 0 || !['Empty', 'Dead'].includes(plan.state);

export async function planReset(admin: Admin, group: string, topic: string, toMs: number): Promise<ResetPlan> {
  const { groups } = await admin.describeGroups([group]);
  const described = groups[0];
  const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  const targets = await admin.fetchTopicOffsetsByTimestamp(topic, toMs);
  const moves = targets
    .map((t) => {
      const at = byPartition.get(t.partition);
      return { partition: t.partition, committed: at === undefined || at < 0 ? undefined : at, to: Number(t.offset) };
    })
    .sort((a, b) => a.partition - b.partition);
  if (moves.every((m) => m.committed === undefined)) throw new PaystreamError(codes.PS_ERR_EVENTS_GROUP_UNKNOWN, { group, topic });
  return { group, topic, state: described?.state ?? 'Dead', members: described?.members.length ?? 0, moves };
}

const activeError = (plan: Pick<ResetPlan, 'group' | 'state' | 'members'>): PaystreamError =>
  new PaystreamError(codes.PS_ERR_EVENTS_GROUP_ACTIVE, { group: plan.group, members: plan.members, state: plan.state });

export function refuseIfActive(plan: ResetPlan): void {
  if (isActive(plan)) throw activeError(plan);
}

/** Commits the planned offsets for the group; a member that joined since the plan makes it refuse. */
export async function applyReset(admin: Admin, plan: ResetPlan): Promise<void> {
  try {
    await admin.setOffsets({
      groupId: plan.group,
      topic: plan.topic,
      partitions: plan.moves.map((m) => ({ partition: m.partition, offset: String(m.to) })),
    });
  } catch (err) {
    // kafkajs checks the group again itself, and says so only in words.
    if (err instanceof Error && err.message.includes('must have no running instances')) {
      const { groups } = await admin.describeGroups([plan.group]);
      throw activeError({ group: plan.group, state: groups[0]?.state ?? 'unknown', members: groups[0]?.members.length ?? 0 });
    }
    throw err;
  }
}

/** The plan as aligned lines: each partition's committed offset, where it moves and by how much. */
export function planTable(plan: ResetPlan): string {
  const header = ['PARTITION', 'COMMITTED', 'TO', 'MOVE'];
  const rows = [
    header,
    ...plan.moves.map((m) => [
      String(m.partition),
      m.committed === undefined ? '-' : String(m.committed),
      String(m.to),
      m.committed === undefined ? 'new' : `${m.to - m.committed >= 0 ? '+' : ''}${String(m.to - m.committed)}`,
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
