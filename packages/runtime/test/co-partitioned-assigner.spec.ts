// The co-partitioning assigner on the real broker: three workers, each with one consumer in each of
// two groups reading two 6-partition topics, hold the same partition numbers in both groups — and
// again after one worker leaves.
import type {} from '@paystream/kafka-broker/global-setup';
import { createTopics, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CO_PARTITIONED_PROTOCOL, coPartitionedAssigner } from '../src/kafka/co-partitioned-assigner.ts';

const PARTITIONS = 6;
const ALL = Array.from({ length: PARTITIONS }, (_, i) => i);

let kafka: Kafka;
let admin: Admin;
const topics = [uniqueTopic('runtime-copart-commands'), uniqueTopic('runtime-copart-notifications')];
const groups = topics.map(() => uniqueTopic('copart-group'));
const consumers: Consumer[] = [];
/** Each consumer's partitions from its latest GROUP_JOIN, and the protocols the groups chose. */
const latest = new Map<Consumer, number[]>();
const protocols = new Set<string>();
const onJoin = new Set<() => void>();

beforeAll(async () => {
  kafka = testKafka(inject('kafkaBrokers'), 'runtime-co-partitioned');
  admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, topics, PARTITIONS);
});
afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect()));
  await admin.deleteTopics({ topics });
  await admin.disconnect();
});

/** One worker: a consumer in each group, both announcing the worker's instance id. */
async function startWorker(instanceId: string): Promise<Consumer[]> {
  return Promise.all(
    groups.map(async (groupId, i) => {
      const topic = topics[i] ?? '';
      const consumer = kafka.consumer({
        groupId,
        partitionAssigners: [coPartitionedAssigner(instanceId)],
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
      });
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        latest.set(
          consumer,
          [...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b),
        );
        protocols.add(payload.groupProtocol);
        for (const check of [...onJoin]) check();
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: () => Promise.resolve() });
      return consumer;
    }),
  );
}

/** Resolves once, in every group, the live workers' latest assignments split all partitions evenly. */
function settled(workers: Map<string, Consumer[]>): Promise<void> {
  const even = PARTITIONS / workers.size;
  const check = (): boolean =>
    groups.every((_, g) => {
      const held = [...workers.values()].map((cs) => latest.get(cs[g] as Consumer) ?? []);
      return (
        held.every((ps) => ps.length === even) &&
        held
          .flat()
          .sort((a, b) => a - b)
          .join() === ALL.join()
      );
    });
  return new Promise((resolve) => {
    const test = (): void => {
      if (!check()) return;
      onJoin.delete(test);
      resolve();
    };
    onJoin.add(test);
    test();
  });
}

/** Each worker's partitions per group. */
const held = (workers: Map<string, Consumer[]>): Record<string, number[][]> =>
  Object.fromEntries([...workers].map(([id, cs]) => [id, cs.map((c) => latest.get(c) ?? [])]));

/** The partitions of the first group held by all workers together, in order. */
const covered = (perWorker: Record<string, number[][]>): number[] =>
  Object.values(perWorker)
    .flatMap(([inFirst]) => inFirst ?? [])
    .sort((a, b) => a - b);

describe('coPartitionedAssigner on the real broker', () => {
  it('gives each worker the same partitions in both groups, before and after a worker leaves', { timeout: 60_000 }, async () => {
    const ids = ['worker-a', 'worker-b', 'worker-c'];
    const workers = new Map(await Promise.all(ids.map(async (id) => [id, await startWorker(id)] as const)));
    await settled(workers);
    expect([...protocols]).toEqual([CO_PARTITIONED_PROTOCOL]);
    for (const [id, [inFirst, inSecond]] of Object.entries(held(workers))) {
      expect(inFirst, id).toHaveLength(2);
      expect(inSecond, id).toEqual(inFirst);
    }
    expect(covered(held(workers))).toEqual(ALL);

    const leaving = workers.get('worker-c') ?? [];
    workers.delete('worker-c');
    await Promise.all(leaving.map((c) => c.disconnect()));
    await settled(workers);
    const after = held(workers);
    for (const [id, [inFirst, inSecond]] of Object.entries(after)) {
      expect(inFirst, id).toHaveLength(3);
      expect(inSecond, id).toEqual(inFirst);
    }
    expect(covered(after)).toEqual(ALL);
  });
});
