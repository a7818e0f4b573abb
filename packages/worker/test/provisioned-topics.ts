// The topics a least-privileged worker needs, made by an administrator before it starts, as a
// deployment provisions them (`paystream topics create`): the worker's principal may not create any.
import { createTopicsWithLeaders, type Topology } from '@paystream/runtime';
import type { Admin } from 'kafkajs';

export async function provisionWorkerTopics(admin: Admin, names: Topology, methods: readonly string[]): Promise<void> {
  const topics = [names.results, names.notifications, ...methods.flatMap((m) => [names.commands(m), names.dlq(m)])];
  await createTopicsWithLeaders(admin, [
    ...topics.map((topic) => ({ topic, numPartitions: 1 })),
    { topic: names.orderState, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  ]);
}
