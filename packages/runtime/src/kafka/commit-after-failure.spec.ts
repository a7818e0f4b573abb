// Commits over a fake kafkajs consumer: a commit the broker refuses (its coordinator lost with its
// node) must not stop every later commit of the member, which would redeliver all its work later.
import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KeyOrderedConsumer } from './key-ordered-consumer.ts';

type Listener = (event: { payload: Record<string, unknown> }) => void;

const message = (offset: number): KafkaMessage =>
  ({ offset: String(offset), key: Buffer.from(`order-${String(offset)}`), value: Buffer.from('{}') }) as unknown as KafkaMessage;

/** A kafkajs consumer whose run() joins and hands over one batch at a time, refusing the commits it is told to. */
function fakeKafka() {
  const listeners = new Map<string, Listener[]>();
  const commits: string[] = [];
  const state = { refuse: 0, eachBatch: undefined as ((p: EachBatchPayload) => Promise<void>) | undefined };
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: (name: string, l: Listener) => void listeners.set(name, [...(listeners.get(name) ?? []), l]),
    connect: () => Promise.resolve(),
    subscribe: () => Promise.resolve(),
    run: ({ eachBatch }: { eachBatch: (p: EachBatchPayload) => Promise<void> }) => {
      state.eachBatch = eachBatch;
      listeners.get('consumer.group_join')?.forEach((l) => l({ payload: { memberAssignment: { commands: [0] } } }));
      return Promise.resolve();
    },
    pause: () => undefined,
    resume: () => undefined,
    commitOffsets: (offsets: { offset: string }[]) => {
      if (state.refuse > 0) {
        state.refuse--;
        return Promise.reject(Object.assign(new Error('This is not the correct coordinator for this group'), { type: 'NOT_COORDINATOR' }));
      }
      commits.push(...offsets.map((o) => o.offset));
      return Promise.resolve();
    },
    stop: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
  };
  const deliver = (offsets: number[]): Promise<void> =>
    (state.eachBatch as (p: EachBatchPayload) => Promise<void>)({
      batch: { topic: 'commands', partition: 0, highWatermark: String(Math.max(...offsets) + 1), messages: offsets.map(message) },
      isRunning: () => true,
      isStale: () => false,
      heartbeat: () => Promise.resolve(),
      resolveOffset: () => undefined,
    } as unknown as EachBatchPayload);
  return { kafka: { consumer: () => consumer } as unknown as Kafka, commits, state, deliver };
}

const member = (kafka: Kafka, errors: unknown[]): KeyOrderedConsumer =>
  new KeyOrderedConsumer({
    kafka,
    groupId: 'g',
    topics: ['commands'],
    maxInFlight: 4,
    handle: () => Promise.resolve(),
    onError: (err) => errors.push(err),
    commitIntervalMs: 1,
  });

describe('a commit the broker refuses', () => {
  it('is reported, and the work finished after it is still committed', async () => {
    const fake = fakeKafka();
    const errors: unknown[] = [];
    const consumer = member(fake.kafka, errors);
    await consumer.start();
    fake.state.refuse = 1;
    await fake.deliver([0, 1]);
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatchObject({ type: 'NOT_COORDINATOR' });
    expect(fake.commits).toEqual([]);

    await fake.deliver([2, 3]);
    await expect.poll(() => fake.commits).toEqual(['4']);
    expect(errors).toHaveLength(1);
    await consumer.stop(0);
  });

  it('keeps its commit point for the next flush: the stop commits it', async () => {
    const fake = fakeKafka();
    const errors: unknown[] = [];
    const consumer = member(fake.kafka, errors);
    await consumer.start();
    fake.state.refuse = 1;
    await fake.deliver([0, 1]);
    await expect.poll(() => errors.length).toBe(1);
    await consumer.stop(0);
    expect(fake.commits).toEqual(['2']);
  });
});
