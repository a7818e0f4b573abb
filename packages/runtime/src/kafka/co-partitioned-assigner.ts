// A kafkajs partition assigner that gives a worker the same partition numbers in every consumer group.
// Commands, order state and notifications share their partition count and key, so the worker owning
// partition p of one topic must own p of all of them. The assignment therefore depends only on the
// members' instance ids (carried in the protocol userData) and the partition numbers — never on
// memberIds, which differ per group, nor on topic names. Each partition goes, in partition order, to
// its best rendezvous-ranked member with room left, which keeps the split balanced and moves few
// partitions when one worker joins or leaves.
import { createHash } from 'node:crypto';
import { AssignerProtocol, type Assigner, type GroupMember, type GroupMemberAssignment, type PartitionAssigner } from 'kafkajs';

export const CO_PARTITIONED_PROTOCOL = 'PaystreamCoPartitioned';
export const MAX_INSTANCE_ID_BYTES = 255;
const VERSION = 0;

/** A member whose metadata named a usable instance id, with the topics it subscribed to. */
export interface CoPartitionedMember {
  readonly memberId: string;
  readonly instanceId: string;
  readonly topics: readonly string[];
}

/** The instance id's UTF-8 bytes, or undefined when they are empty, too long or not UTF-8. */
function instanceIdOf(userData: Buffer | null | undefined): string | undefined {
  if (!userData || userData.length === 0 || userData.length > MAX_INSTANCE_ID_BYTES) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(userData);
  } catch {
    return undefined;
  }
}

/** Decodes a member's protocol metadata; undefined when it is malformed or carries no usable instance id. */
export function decodeMember({ memberId, memberMetadata }: GroupMember): CoPartitionedMember | undefined {
  try {
    const { topics, userData } = AssignerProtocol.MemberMetadata.decode(memberMetadata) ?? {};
    const instanceId = instanceIdOf(userData);
    if (instanceId === undefined || !Array.isArray(topics)) return undefined;
    return { memberId, instanceId, topics };
  } catch {
    return undefined;
  }
}

/** The rendezvous weight of an instance for a partition: a stable hash of both (48 bits, exact in a number). */
function weight(instanceId: string, partition: number): number {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(partition >>> 0);
  return createHash('sha256').update(prefix).update(instanceId, 'utf8').digest().readUIntBE(0, 6);
}

/**
 * Splits partitions among members: each gets floor(P/N) or ceil(P/N). Ties — the same instance id twice,
 * as when a restarted process joins before its old member expired — fall back to instance id, then
 * memberId, so the result stays deterministic.
 */
export function spreadPartitions(partitions: readonly number[], members: readonly CoPartitionedMember[]): Map<string, number[]> {
  const owned = new Map<string, number[]>(members.map((m) => [m.memberId, []]));
  if (members.length === 0) return owned;
  const least = Math.floor(partitions.length / members.length);
  let roomAboveLeast = partitions.length % members.length;
  for (const partition of [...partitions].sort((a, b) => a - b)) {
    const ranked = members
      .map((member) => ({ member, w: weight(member.instanceId, partition) }))
      .sort((a, b) => b.w - a.w || compare(a.member.instanceId, b.member.instanceId) || compare(a.member.memberId, b.member.memberId));
    for (const { member } of ranked) {
      const mine = owned.get(member.memberId) ?? [];
      if (mine.length < least || (mine.length === least && roomAboveLeast > 0)) {
        if (mine.length === least) roomAboveLeast--;
        mine.push(partition);
        owned.set(member.memberId, mine);
        break;
      }
    }
  }
  return owned;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The co-partitioning assigner for a worker whose stable instance id is `instanceId` (1..255 UTF-8 bytes). */
export function coPartitionedAssigner(instanceId: string): PartitionAssigner {
  const userData = Buffer.from(instanceId, 'utf8');
  if (userData.length === 0 || userData.length > MAX_INSTANCE_ID_BYTES) {
    throw new RangeError(`the worker instance id must be 1 to ${String(MAX_INSTANCE_ID_BYTES)} bytes of UTF-8`);
  }
  return ({ cluster, groupId, logger }): Assigner => ({
    name: CO_PARTITIONED_PROTOCOL,
    version: VERSION,

    assign({ members, topics }): Promise<GroupMemberAssignment[]> {
      const usable: CoPartitionedMember[] = [];
      for (const member of members) {
        const decoded = decodeMember(member);
        if (decoded) usable.push(decoded);
        else
          logger.warn('Member metadata carries no usable worker instance id; it gets no partitions', {
            groupId,
            memberId: member.memberId,
          });
      }
      // Without a prototype, so a topic named __proto__ (a legal Kafka name) is an ordinary key.
      const assignment = new Map(members.map((m) => [m.memberId, Object.create(null) as Record<string, number[]>]));
      for (const topic of topics) {
        const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
        const subscribed = usable.filter((m) => m.topics.includes(topic));
        for (const [memberId, owned] of spreadPartitions(partitions, subscribed)) {
          const perTopic = assignment.get(memberId);
          if (perTopic && owned.length > 0) perTopic[topic] = owned;
        }
      }
      return Promise.resolve(
        [...assignment].map(([memberId, perTopic]) => ({
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: VERSION, assignment: perTopic, userData: Buffer.alloc(0) }),
        })),
      );
    },

    protocol({ topics }) {
      return { name: CO_PARTITIONED_PROTOCOL, metadata: AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData }) };
    },
  });
}
