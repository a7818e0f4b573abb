// The run's Kafka footprint: its topics are created up front (so readers can subscribe before the
// first worker starts) and, with its consumer groups, deleted at the end.
import type { Admin } from 'kafkajs';
import { createTopicsWithLeaders, type Topology } from '@paystream/runtime';

/** Partitions per topic, as `paystream worker` creates them. */
export const PARTITIONS = 6;

export async function createRunTopics(admin: Admin, names: Topology, methods: readonly string[]): Promise<void> {
  const topics = [names.results, names.notifications, ...methods.flatMap((m) => [names.commands(m), names.dlq(m)])];
  // The order state is compacted, as the worker would create it; made here, ahead of the workers, as
  // a deployment provisions its topics.
  const state = { topic: names.orderState, numPartitions: PARTITIONS, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] };
  await createTopicsWithLeaders(admin, [...topics.map((topic) => ({ topic, numPartitions: PARTITIONS })), state]);
}

/** Deletes every topic and consumer group named with the run's prefix. */
export async function deleteRunTopics(admin: Admin, prefix: string): Promise<void> {
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
  // A group still holding a member (one whose session has not expired yet) cannot be deleted; the
  // broker forgets it once empty, so that is not worth failing a run over.
  if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
}
