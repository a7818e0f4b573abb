// Test helper: one broker shared by the whole test run, unique topics per test.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { repoRoot, start, status, stop, type BrokerOptions } from './broker.ts';

/** The test broker lives apart from the demo broker so tests never disturb a running demo. */
export function testBrokerOptions(env: NodeJS.ProcessEnv = process.env): BrokerOptions {
  return {
    home: env['PAYSTREAM_TEST_KAFKA_HOME'] ?? join(repoRoot, '.local/kafka-test'),
    port: Number(env['PAYSTREAM_TEST_KAFKA_PORT'] ?? 19092),
    portVariable: 'PAYSTREAM_TEST_KAFKA_PORT',
  };
}

export interface TestBroker {
  readonly brokers: string[];
  readonly startedHere: boolean;
  stop(): Promise<void>;
}

/**
 * Serialises start-up across parallel test processes with an mkdir lock. The lock names its holder,
 * and is taken over only once that process is gone: a slow start on a loaded machine (a secured
 * broker may take minutes) must never let a second process start the same broker beside it.
 */
export async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${dir}.lock`;
  mkdirSync(join(dir, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (abandoned(lock)) rmSync(lock, { recursive: true, force: true });
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A lock whose holder died; one without a holder's name (it is being taken) counts only when old. */
function abandoned(lock: string): boolean {
  try {
    const holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (holder > 0) return !alive(holder);
  } catch {
    // no holder written yet, or the lock was removed meanwhile
  }
  try {
    return Date.now() - statSync(lock).mtimeMs > 120_000;
  } catch {
    return false;
  }
}

/** Whether a process exists (EPERM: it does, under another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Uses KAFKA_BROKERS when set, else starts (or reuses) the project's test broker. */
export async function ensureBroker(env: NodeJS.ProcessEnv = process.env): Promise<TestBroker> {
  const given = env['KAFKA_BROKERS'];
  if (given) return { brokers: given.split(','), startedHere: false, stop: () => Promise.resolve() };
  const opts = testBrokerOptions(env);
  const startedHere = await withLock(opts.home, async () => ((await status(opts)).ready ? false : start(opts)));
  return {
    brokers: [`127.0.0.1:${opts.port}`],
    startedHere,
    stop: async () => {
      if (startedHere) await stop(opts);
    },
  };
}

/** Topic names unique per test, so tests never see each other's messages. */
export function uniqueTopic(prefix = 'test'): string {
  return `${prefix}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
}

export function testKafka(brokers: string[], clientId = 'paystream-test'): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.ERROR });
}

/** Every partition has a leader in the metadata, and the leaders answer for their offsets. */
async function usable(admin: Admin, topics: string[]): Promise<boolean> {
  try {
    const found = await admin.fetchTopicMetadata({ topics });
    const led = found.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
    if (found.topics.length !== topics.length || !led) return false;
    for (const topic of topics) await admin.fetchTopicOffsets(topic);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates the topics and waits until they can be used. kafkajs' own `waitForLeaders` gives up when
 * the first metadata read does not know a new topic yet, and a loaded KRaft broker may name a leader
 * before that leader answers ListOffsets; this polls until both hold (the runtime's
 * createTopicsWithLeaders does the same for the worker; this package depends on no other).
 */
export async function createTopics(admin: Admin, topics: string[], numPartitions = 1): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics: topics.map((topic) => ({ topic, numPartitions })) });
  const deadline = Date.now() + 30_000;
  while (!(await usable(admin, topics))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the leaders of ${topics.join(', ')}`);
    await sleep(100);
  }
}
