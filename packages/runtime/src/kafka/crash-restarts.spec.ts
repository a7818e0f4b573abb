// The restart of a consumer kafkajs stopped for good, over a fake kafkajs consumer: the refusal itself
// (a login refused on reconnect) is proven against the secured broker in the worker's kafka-unready specs.
import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CrashRestarts } from './crash-restarts.ts';
import { KeyOrderedConsumer } from './key-ordered-consumer.ts';

const refused = (): Error =>
  Object.assign(new Error('SASL SCRAM SHA512 authentication failed'), { name: 'KafkaJSSASLAuthenticationError' });

type Listener = (event: { payload: Record<string, unknown> }) => void;

/** A kafkajs consumer that joins on each run() and refuses the next `refusals` connections. */
function fakeKafka() {
  const listeners = new Map<string, Listener[]>();
  const calls = { connect: 0, run: 0, disconnect: 0 };
  const state = { refusals: 0 };
  const emit = (name: string, payload: Record<string, unknown>): void => listeners.get(name)?.forEach((l) => l({ payload }));
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: (name: string, l: Listener) => void listeners.set(name, [...(listeners.get(name) ?? []), l]),
    connect: () => {
      calls.connect++;
      if (state.refusals === 0) return Promise.resolve();
      state.refusals--;
      return Promise.reject(refused());
    },
    subscribe: () => Promise.resolve(),
    run: () => {
      calls.run++;
      queueMicrotask(() => emit('consumer.group_join', { memberAssignment: { commands: [0] } }));
      return Promise.resolve();
    },
    pause: () => undefined,
    resume: () => undefined,
    commitOffsets: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    disconnect: () => {
      calls.disconnect++;
      return Promise.resolve();
    },
  };
  return {
    kafka: { consumer: () => consumer } as unknown as Kafka,
    calls,
    state,
    crash: (error: unknown, restart: boolean) => emit('consumer.crash', { error, restart }),
  };
}

const member = (kafka: Kafka) =>
  new KeyOrderedConsumer({
    kafka,
    groupId: 'g',
    topics: ['commands'],
    maxInFlight: 4,
    handle: () => Promise.resolve(),
    restarts: { initialDelayMs: 5 },
  });

afterEach(() => vi.useRealTimers());

describe('a consumer kafkajs stopped for good', () => {
  it('reports the failure, not joined, and is run again until it joins, from the committed offsets', async () => {
    const fake = fakeKafka();
    const consumer = member(fake.kafka);
    await consumer.start();
    await expect.poll(() => consumer.joined).toBe(true);
    expect(consumer.failure).toBeUndefined();

    const error = refused();
    fake.state.refusals = 2;
    fake.crash(error, false);
    expect(consumer.joined).toBe(false);
    expect(consumer.failure).toBe(error);
    await expect.poll(() => consumer.joined).toBe(true);
    expect(consumer.failure).toBeUndefined();
    // Two refused connections, then one that runs the consumer again (kafkajs keeps its subscriptions).
    expect(fake.calls).toMatchObject({ connect: 4, run: 2, disconnect: 2 });
    await consumer.stop(0);
  });

  it('leaves the restart to kafkajs when kafkajs restarts it, and is not joined meanwhile', async () => {
    const fake = fakeKafka();
    const consumer = member(fake.kafka);
    await consumer.start();
    await expect.poll(() => consumer.joined).toBe(true);
    fake.crash(Object.assign(new Error('gone'), { name: 'KafkaJSNumberOfRetriesExceeded' }), true);
    expect(consumer.joined).toBe(false);
    expect(consumer.failure).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded' });
    expect(fake.calls.connect).toBe(1);
    await consumer.stop(0);
  });

  it('is not restarted once stopped', async () => {
    vi.useFakeTimers();
    const fake = fakeKafka();
    const consumer = member(fake.kafka);
    await consumer.start();
    fake.crash(refused(), false);
    await consumer.stop(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.calls.connect).toBe(1);
  });
});

describe('CrashRestarts', () => {
  it('waits 1 s, doubling up to 30 s, between refused restarts; a wake restarts at once; a join ends it', async () => {
    vi.useFakeTimers();
    const fake = fakeKafka();
    const consumer = fake.kafka.consumer({ groupId: 'g' });
    const restarts = new CrashRestarts(consumer, () => consumer.run());
    fake.state.refusals = 8;
    fake.crash(refused(), false);
    expect(restarts.down).toBe(true);
    const waits: number[] = [];
    for (let step = 0; step < 7; step++) {
      const before = fake.calls.connect;
      let waited = 0;
      while (fake.calls.connect === before) {
        await vi.advanceTimersByTimeAsync(250);
        waited += 250;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(restarts.restarting).toBe(true);
    fake.state.refusals = 0;
    restarts.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.calls).toMatchObject({ connect: 8, run: 1 });
    expect(restarts.down).toBe(false);
    expect(restarts.failure).toBeUndefined();
    restarts.stop();
  });
});
