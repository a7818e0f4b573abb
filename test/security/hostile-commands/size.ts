// How big a command the broker itself takes. Kafka refuses a record batch over the topic's
// `max.message.bytes` (1,048,588 bytes by default) on produce, so with the defaults a 1 MiB value —
// plus its key, headers and batch framing — never reaches the worker. The largest one that does is
// found on a scratch topic with the defaults; the attacked topic is then raised to 2 MiB so the
// worker can be shown a whole 1 MiB value too.
import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import { createTopicsWithLeaders } from '@paystream/runtime';
import { paddedCharge, MIB } from './cases.ts';

/** The broker's refusal of a record, or undefined when it took it. */
async function refusal(kafka: Kafka, topic: string, key: string, value: string): Promise<string | undefined> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key, value }] });
    return undefined;
  } catch (err) {
    return (err as { type?: string }).type ?? (err instanceof Error ? err.name : String(err));
  } finally {
    await producer.disconnect();
  }
}

export interface SizeProbe {
  /** The size of the largest padded charge (UTF-8 bytes) a topic with the defaults takes, for this key. */
  readonly largestDefault: number;
  /** What the broker answered to exactly 1 MiB under the defaults (`MESSAGE_TOO_LARGE`), or undefined if taken. */
  readonly oneMibDefault: string | undefined;
}

export async function probeSizes(kafka: Kafka, admin: Admin, scratchTopic: string, orderId: string): Promise<SizeProbe> {
  await createTopicsWithLeaders(admin, [{ topic: scratchTopic, numPartitions: 1 }]);
  const oneMibDefault = await refusal(kafka, scratchTopic, orderId, paddedCharge(orderId, MIB));
  let taken = 64 * 1024;
  let refused = MIB + 1024;
  while (refused - taken > 1) {
    const mid = Math.floor((taken + refused) / 2);
    if ((await refusal(kafka, scratchTopic, orderId, paddedCharge(orderId, mid))) === undefined) taken = mid;
    else refused = mid;
  }
  return { largestDefault: taken, oneMibDefault };
}

export const RAISED_MAX_MESSAGE_BYTES = 2 * MIB;

/** Raises the topic's `max.message.bytes` so a 1 MiB value (and its framing) is taken. */
export async function raiseMaxMessageBytes(admin: Admin, topic: string): Promise<void> {
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configEntries: [{ name: 'max.message.bytes', value: String(RAISED_MAX_MESSAGE_BYTES) }],
      },
    ],
  });
}
