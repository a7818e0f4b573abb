// Topic creation that waits until the topics can be used, without tripping over KRaft's metadata
// lag: kafkajs' `waitForLeaders` gives up when the first metadata read after CreateTopics does not
// know the topic yet (UNKNOWN_TOPIC_OR_PARTITION), and a loaded broker may name a leader in its
// metadata before that leader answers ListOffsets (NOT_LEADER_FOR_PARTITION).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ITopicConfig } from 'kafkajs';

/** Errors that say "not yet" while a topic is being created or a controller moves. */
const NOT_YET = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_CONTROLLER',
  'REQUEST_TIMED_OUT',
  'NOT_LEADER_FOR_PARTITION',
  'UNKNOWN_LEADER_EPOCH',
  'FENCED_LEADER_EPOCH',
  'OFFSET_NOT_AVAILABLE',
]);

const notYet = (err: unknown): boolean => NOT_YET.has(String((err as { type?: unknown } | null)?.type));

/** CreateTopics, repeated while the cluster says "not yet"; true when it created any. */
async function untilCreated(admin: Admin, topics: readonly ITopicConfig[], deadline: number): Promise<boolean> {
  for (;;) {
    try {
      return await admin.createTopics({ topics: [...topics], waitForLeaders: false, timeout: Math.max(1_000, deadline - Date.now()) });
    } catch (err) {
      if (!notYet(err) || Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

/**
 * Creates the topics that do not exist yet and resolves once every partition of every one has a
 * leader that answers for its offsets; true when it created any. Throws what is not a passing state, and after `timeoutMs`.
 */
export async function createTopicsWithLeaders(admin: Admin, topics: readonly ITopicConfig[], timeoutMs = 30_000): Promise<boolean> {
  if (topics.length === 0) return false;
  const deadline = Date.now() + timeoutMs;
  const names = topics.map((t) => t.topic);
  // Existing topics are not asked for again: the broker refuses CreateTopics to a principal without CREATE even for those.
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  const created = missing.length > 0 && (await untilCreated(admin, missing, deadline));
  for (;;) {
    try {
      if (await usable(admin, names)) return created;
    } catch (err) {
      if (!notYet(err)) throw err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${String(timeoutMs)} ms waiting for the leaders of ${names.join(', ')}`);
    await sleep(100);
  }
}

/** Every partition has a leader in the metadata, and the leaders answer for their offsets. */
async function usable(admin: Admin, names: readonly string[]): Promise<boolean> {
  const { topics: found } = await admin.fetchTopicMetadata({ topics: [...names] });
  if (found.length !== names.length || !found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
    return false;
  for (const name of names) await admin.fetchTopicOffsets(name);
  return true;
}
