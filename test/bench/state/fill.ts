// Fills a fresh order-state topic — the one a worker with this topic prefix reads — with generated
// paid orders, fast: large batches, several in flight, partitioned by key hash as the worker's own
// producer does, so each order sits in the partition the worker would have written it to.
import type { Admin, Kafka } from 'kafkajs';
import { createTopicsWithLeaders, keyHashPartitioner, orderStateTopic } from '@paystream/runtime';
import { STATE_PARTITIONS, SucceededOrders } from './order-records.ts';

/** Records per produce request: about 450 KiB per partition of the topic, under the broker's 1 MiB batch limit. */
export const BATCH = 3000;
export const IN_FLIGHT = 8;

export interface Fill {
  readonly records: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Mean size of a record's value, bytes. */
  readonly valueBytes: number;
}

/**
 * Creates `topic` as the worker would (compacted), with as many partitions as the command topics, and
 * produces `count` paid orders into it.
 */
export async function fillStateTopic(kafka: Kafka, admin: Admin, topic: string, tag: string, count: number): Promise<Fill> {
  const orders = new SucceededOrders(tag);
  orders.selfCheck();
  await createTopicsWithLeaders(admin, [{ ...orderStateTopic(topic), numPartitions: STATE_PARTITIONS }]);
  const producer = kafka.producer({ createPartitioner: keyHashPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  let next = 0;
  let valueBytes = 0;
  let lastReport = Date.now();
  const start = performance.now();
  try {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < count) {
          const from = next;
          next = Math.min(count, next + BATCH);
          const messages = [];
          for (let i = from; i < next; i++) {
            const m = orders.message(i);
            valueBytes += m.value.length;
            messages.push(m);
          }
          await producer.send({ topic, acks: -1, messages });
          if (Date.now() - lastReport > 15_000) {
            lastReport = Date.now();
            console.log(`    … ${next.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} orders written`);
          }
        }
      }),
    );
  } finally {
    await producer.disconnect();
  }
  const seconds = (performance.now() - start) / 1000;
  return { records: count, seconds, perSecond: count / seconds, valueBytes: valueBytes / count };
}
