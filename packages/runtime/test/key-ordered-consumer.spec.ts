// The key-ordered consumer against the real broker: order per key under concurrency, the in-flight
// bound, commits that never pass unfinished work, and redelivery of exactly the unfinished messages
// after a crash.
import { setTimeout as sleep } from 'node:timers/promises';
import type {} from '@paystream/kafka-broker/global-setup';
import { createTopics, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KeyOrderedConsumer } from '../src/kafka/key-ordered-consumer.ts';

let kafka: Kafka;
let admin: Admin;
const topics: string[] = [];

beforeAll(async () => {
  kafka = testKafka(inject('kafkaBrokers'), 'runtime-test');
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await admin.disconnect();
});

async function topicWith(messages: { key: string; value: string }[], partitions = 3): Promise<string> {
  const topic = uniqueTopic('runtime');
  await createTopics(admin, [topic], partitions);
  topics.push(topic);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
  await producer.disconnect();
  return topic;
}

async function committed(groupId: string, topic: string): Promise<Record<number, number>> {
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries((t?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
}

describe('KeyOrderedConsumer on the real broker', () => {
  it('handles 2,000 messages over 50 keys in order per key, concurrently within the bound, and commits them all', async () => {
    const messages = Array.from({ length: 2000 }, (_, i) => ({ key: `order-${String(i % 50)}`, value: String(Math.floor(i / 50)) }));
    const topic = await topicWith(messages);
    const groupId = uniqueTopic('group');
    const seen = new Map<string, number[]>();
    let running = 0;
    let peak = 0;
    let done = 0;
    let finished!: () => void;
    const allDone = new Promise<void>((r) => (finished = r));
    const consumer = new KeyOrderedConsumer({
      kafka,
      groupId,
      topics: [topic],
      maxInFlight: 32,
      handle: async ({ message }) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(Math.random() * 3);
        const key = message.key?.toString() ?? '';
        seen.set(key, [...(seen.get(key) ?? []), Number(message.value?.toString())]);
        running--;
        if (++done === messages.length) finished();
      },
    });
    await consumer.start();
    await allDone;
    await consumer.stop();
    expect(seen.size).toBe(50);
    for (const seq of seen.values()) expect(seq).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(peak).toBeGreaterThan(3);
    expect(consumer.maxInFlightSeen).toBeLessThanOrEqual(32);
    const offsets = await admin.fetchTopicOffsets(topic);
    const ends = Object.fromEntries(offsets.map((p) => [p.partition, Number(p.high)]));
    expect(await committed(groupId, topic)).toEqual(ends);
  });

  it('after a crash, a new member receives exactly the messages whose work had not finished', async () => {
    const messages = Array.from({ length: 300 }, (_, i) => ({ key: `k-${String(i % 30)}`, value: String(i) }));
    const topic = await topicWith(messages, 1);
    const groupId = uniqueTopic('crash-group');
    const stuck = new Set(['k-7', 'k-19']);
    const finishedBefore = new Set<string>();
    let handled = 0;
    const first = new KeyOrderedConsumer({
      kafka,
      groupId,
      topics: [topic],
      maxInFlight: 64,
      commitIntervalMs: 10,
      handle: async ({ message }) => {
        handled++;
        if (stuck.has(message.key?.toString() ?? '')) await new Promise(() => undefined);
        finishedBefore.add(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    await first.start();
    await expect.poll(() => finishedBefore.size, { timeout: 30_000 }).toBe(280);
    // Commits run every 10 ms but a loaded machine may take longer to make one; it must reach 7 and stop there.
    await expect.poll(async () => (await committed(groupId, topic))[0] ?? -1, { timeout: 15_000 }).toBe(7);
    await sleep(200);
    expect((await committed(groupId, topic))[0]).toBe(7);
    await first.abandon();
    expect(handled).toBeLessThan(300);

    const redelivered: string[] = [];
    const second = new KeyOrderedConsumer({
      kafka,
      groupId,
      topics: [topic],
      maxInFlight: 64,
      handle: ({ message }) => (redelivered.push(message.value?.toString() ?? ''), Promise.resolve()),
    });
    await second.start();
    await expect.poll(() => redelivered.length, { timeout: 30_000 }).toBe(300 - 7);
    await second.stop();
    const unfinished = messages.filter((m) => !finishedBefore.has(m.value)).map((m) => m.value);
    for (const v of unfinished) expect(redelivered).toContain(v);
    expect(redelivered.every((v) => Number(v) >= 7)).toBe(true);
  });

  it('holds a pause asked for before start, through its join, until resume; pause and resume never throw when not running', async () => {
    // A breaker may open while a worker's consumers are still starting one after another (or while
    // kafkajs restarts one after a lost broker): kafkajs itself throws then, which crashed the worker.
    const topic = await topicWith(Array.from({ length: 20 }, (_, i) => ({ key: `p-${String(i)}`, value: String(i) })));
    let handled = 0;
    const consumer = new KeyOrderedConsumer({
      kafka,
      groupId: uniqueTopic('group'),
      topics: [topic],
      maxInFlight: 8,
      handle: () => {
        handled++;
        return Promise.resolve();
      },
    });
    expect(() => consumer.pause()).not.toThrow();
    await consumer.start();
    while (!consumer.joined) await sleep(50);
    await sleep(1_500);
    expect(handled).toBe(0);
    expect(consumer.isPaused()).toBe(true);
    consumer.resume();
    while (handled < 20) await sleep(50);
    await consumer.stop();
    expect(() => {
      consumer.pause();
      consumer.resume();
    }).not.toThrow();
  });
});
