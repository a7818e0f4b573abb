// kafkajs' send, as installed (scripts/patch-dependencies.mjs), over a fake cluster whose partition
// leader dies mid-send: one send to two partitions led by two brokers, the order's state and its
// result event. The broker leading the result fails; the retry finds that partition moved to the
// broker that already wrote the state. The stock kafkajs 2.2.4 skipped that broker and resolved
// without ever writing the result; the send must write it there.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { kafkaClientFixed } from './client-fixes.ts';

const require = createRequire(import.meta.url);

interface Produced {
  readonly broker: number;
  readonly topics: { topic: string; partitions: number[] }[];
}

interface TopicData {
  topic: string;
  /** kafkajs hands partitions on as the keys it grouped messages by: strings. */
  partitions: { partition: number | string; messages: unknown[] }[];
}

type SendMessages = (
  deps: Record<string, unknown>,
) => (req: Record<string, unknown>) => Promise<{ topicName: string; partition: number }[]>;

/** Brokers 1 and 2; `state` partition 0 led by 2, `results` partition 0 led by 1 until broker 1 dies. */
function fakeCluster() {
  const produced: Produced[] = [];
  const leaders: Record<string, number> = { state: 2, results: 1 };
  const alive = new Set([1, 2]);
  const broker = (nodeId: number) => ({
    nodeId: String(nodeId),
    produce: ({ topicData }: { topicData: TopicData[] }) => {
      if (!alive.has(nodeId))
        return Promise.reject(
          Object.assign(new Error(`broker ${String(nodeId)} is down`), { name: 'KafkaJSConnectionError', retriable: true }),
        );
      produced.push({
        broker: nodeId,
        topics: topicData.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => Number(p.partition)) })),
      });
      return Promise.resolve({
        topics: topicData.map((t) => ({
          topicName: t.topic,
          partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode: 0, baseOffset: '0' })),
        })),
      });
    },
  });
  const brokers = new Map([1, 2].map((id) => [String(id), broker(id)]));
  const cluster = {
    targetTopics: new Set<string>(),
    refreshMetadataIfNecessary: () => Promise.resolve(),
    // The controller moved the dead broker's partitions to the live one: the next metadata says so.
    refreshMetadata: () => {
      for (const t of Object.keys(leaders)) if (!alive.has(leaders[t] ?? 0)) leaders[t] = 2;
      return Promise.resolve();
    },
    addMultipleTargetTopics: () => Promise.resolve(),
    isConnected: () => true,
    connect: () => Promise.resolve(),
    removeBroker: () => undefined,
    findTopicPartitionMetadata: () => [{ partitionId: 0, leader: 0 }],
    findLeaderForPartitions: (topic: string, partitions: string[]) => ({ [String(leaders[topic])]: partitions }),
    findBroker: ({ nodeId }: { nodeId: string }) => Promise.resolve(brokers.get(nodeId)),
  };
  return { cluster, produced, kill: (id: number) => alive.delete(id) };
}

const sequences = () => {
  const next = new Map<string, number>();
  return {
    isTransactional: () => false,
    getProducerId: () => 1,
    getProducerEpoch: () => 0,
    getSequence: (topic: string, partition: number) => next.get(`${topic}/${String(partition)}`) ?? 0,
    updateSequence: (topic: string, partition: number, by: number) =>
      next.set(`${topic}/${String(partition)}`, (next.get(`${topic}/${String(partition)}`) ?? 0) + by),
    acquireBrokerLock: () => Promise.resolve(),
    releaseBrokerLock: () => Promise.resolve(),
  };
};

describe("kafkajs' send retried after a partition leader died", () => {
  it('is the fixed one (and so is its request queue)', () => {
    expect(kafkaClientFixed()).toBe(true);
  });

  it('writes the partition that moved to a broker which had already answered, and reports both', async () => {
    const sendMessages = require('kafkajs/src/producer/sendMessages.js') as SendMessages;
    const createRetry = require('kafkajs/src/retry/index.js') as (o: Record<string, number>) => unknown;
    const { cluster, produced, kill } = fakeCluster();
    const logger = { debug: () => undefined, error: () => undefined };
    kill(1);
    const send = sendMessages({
      logger,
      cluster,
      partitioner: () => 0,
      eosManager: sequences(),
      retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5, factor: 0, multiplier: 1 }),
    });

    const acks = await send({
      acks: -1,
      timeout: 1_000,
      topicMessages: [
        { topic: 'state', messages: [{ key: 'order-1', value: 'state' }] },
        { topic: 'results', messages: [{ key: 'order-1', value: 'result' }] },
      ],
    });

    expect(acks.map((a) => `${a.topicName}/${String(a.partition)}`).sort()).toEqual(['results/0', 'state/0']);
    // The state once (the first attempt), the result on the retry, both on broker 2.
    expect(produced).toEqual([
      { broker: 2, topics: [{ topic: 'state', partitions: [0] }] },
      { broker: 2, topics: [{ topic: 'results', partitions: [0] }] },
    ]);
  });
});
