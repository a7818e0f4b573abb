// A fleet splits the order state only where an order's state partition is its command partition: the
// state topic partitioned like every command topic and the notifications topic, all keyed by order id.
// A topic made otherwise (an older installation's three-partition state topic) keeps the whole state
// in every worker, as before, and says so once.
import type { Admin } from 'kafkajs';
import type { Topology } from '@paystream/runtime';
import type { WorkerParts } from './tokens.ts';

export async function canSplitState(
  admin: Pick<Admin, 'fetchTopicMetadata'>,
  names: Topology,
  methods: readonly string[],
  log: WorkerParts['log'],
): Promise<boolean> {
  const topics = [names.orderState, names.notifications, ...methods.map((m) => names.commands(m))];
  const { topics: found } = await admin.fetchTopicMetadata({ topics });
  const counts = new Map(found.map((t) => [t.name, t.partitions.length]));
  const state = counts.get(names.orderState);
  const unlike = topics.filter((t) => counts.get(t) !== state).map((topic) => ({ topic, partitions: counts.get(topic) }));
  if (unlike.length === 0) return true;
  log.warn(
    { stateTopic: names.orderState, partitions: state, unlike },
    'every worker keeps the whole order state: its topic is not partitioned like the command and notification topics',
  );
  return false;
}
