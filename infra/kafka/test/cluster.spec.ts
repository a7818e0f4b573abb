// The three-node cluster (docs/kafka.md, "The three-broker cluster"), on a cluster of this spec's own:
// it forms, topics get three replicas with two required in sync, and an acks=all write outlives the
// SIGKILL of its partition's leader — another node leads, and the killed one rejoins the ISR.
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForIsr, waitForPartitions } from '../src/cluster.ts';
import { ownCluster, type OwnCluster } from '../src/cluster-testing.ts';
import { createTopics, uniqueTopic } from '../src/testing.ts';

let cluster: OwnCluster | undefined;
let admin: Admin | undefined;

beforeAll(async () => {
  cluster = await ownCluster('cluster-spec');
  admin = await cluster.admin();
}, 240_000);

afterAll(async () => {
  await cluster?.close();
}, 120_000);

/** Reads the topic from the beginning in a group of its own until `count` values arrived. */
async function readAll(kafka: Kafka, topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: uniqueTopic('cluster-reader') });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        values.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + 60_000;
    while (values.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return values;
  } finally {
    await consumer.disconnect();
  }
}

describe('the three-broker cluster', () => {
  it('forms one cluster of three nodes, each on its own loopback port', async () => {
    const c = cluster as OwnCluster;
    const described = await (admin as Admin).describeCluster();
    expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect(described.brokers.map((b) => `${b.host}:${String(b.port)}`).sort()).toEqual([...c.brokers].sort());
  });

  it('keeps an acks=all write through the SIGKILL of its leader, elects another, and takes the killed node back into the ISR', async () => {
    const c = cluster as OwnCluster;
    const a = admin as Admin;
    const topic = uniqueTopic('cluster');
    // No replication settings given: the cluster's defaults apply, as for the worker's run topics.
    await createTopics(a, [topic]);
    const [before] = (await waitForIsr(a, [topic])).get(topic) ?? [];
    expect(before?.replicas).toHaveLength(3);
    expect(before?.isr).toHaveLength(3);
    const configs = await a.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      includeSynonyms: false,
    });
    expect(configs.resources[0]?.configEntries.map((e) => [e.configName, e.configValue])).toEqual([['min.insync.replicas', '2']]);

    const kafka = new Kafka({ clientId: 'cluster-spec', brokers: c.brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const first = Array.from({ length: 100 }, (_, i) => `before-${String(i)}`);
      await producer.send({ topic, acks: -1, messages: first.map((value) => ({ key: value, value })) });

      const killed = before?.leader ?? -1;
      await c.kill(killed);
      const [after] =
        (await waitForPartitions(a, [topic], (p) => p.leader >= 0 && p.leader !== killed && !p.isr.includes(killed))).get(topic) ?? [];
      expect([1, 2, 3].filter((n) => n !== killed)).toContain(after?.leader);
      expect(after?.isr).toHaveLength(2);

      // Two replicas in sync are min.insync.replicas: the cluster still takes acks=all writes.
      const second = Array.from({ length: 100 }, (_, i) => `after-${String(i)}`);
      await producer.send({ topic, acks: -1, messages: second.map((value) => ({ key: value, value })) });
      expect(await readAll(kafka, topic, 200)).toEqual([...first, ...second]);

      await c.restart(killed);
      const [back] = (await waitForIsr(a, [topic])).get(topic) ?? [];
      expect([...(back?.isr ?? [])].sort()).toEqual([1, 2, 3]);
    } finally {
      await producer.disconnect();
    }
    // The group coordinator's offsets are replicated like every topic.
    const offsets = (await waitForIsr(a, ['__consumer_offsets'])).get('__consumer_offsets') ?? [];
    expect(offsets.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
  });
});
