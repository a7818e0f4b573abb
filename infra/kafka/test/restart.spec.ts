// `npm run kafka:stop` / `kafka:start` keep topics and committed offsets (a broker of its own, so the
// shared test broker is never disturbed).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/broker.ts';
import { createTopics, testKafka, uniqueTopic } from '../src/testing.ts';

const run = promisify(execFile);

/** Two consecutive free ports (listener and controller). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => done(p));
      });
    });
    const next = await new Promise<boolean>((done) => {
      const s = createServer()
        .once('error', () => done(false))
        .listen(port + 1, '127.0.0.1', () => s.close(() => done(true)));
    });
    if (next && port < 65534) return port;
  }
}

mkdirSync(join(repoRoot, '.local'), { recursive: true });
const home = mkdtempSync(join(repoRoot, '.local', 'kafka-restart-'));
let env: NodeJS.ProcessEnv = process.env;

async function npmRun(script: string): Promise<string> {
  const { stdout } = await run('npm', ['run', '--silent', script], { cwd: repoRoot, env, timeout: 120_000 });
  return stdout;
}

afterAll(async () => {
  await npmRun('kafka:stop').catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
});

describe('broker restart', () => {
  it('keeps a topic and its committed offsets across kafka:stop and kafka:start', async () => {
    const port = await freePortPair();
    env = { ...process.env, KAFKA_HOME: home, KAFKA_PORT: String(port) };
    expect(await npmRun('kafka:start')).toContain(`started on 127.0.0.1:${port}`);
    expect(await npmRun('kafka:status')).toContain('answering');

    const kafka = testKafka([`127.0.0.1:${port}`]);
    const admin = kafka.admin();
    await admin.connect();
    const topic = uniqueTopic('durable');
    const groupId = uniqueTopic('durable-group');
    await createTopics(admin, [topic], 2);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: String(i) })) });
    await producer.disconnect();
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [
        { partition: 0, offset: '3' },
        { partition: 1, offset: '2' },
      ],
    });
    await admin.disconnect();

    expect(await npmRun('kafka:stop')).toContain('stopped');
    await expect(npmRun('kafka:status')).rejects.toThrow();
    expect(await npmRun('kafka:start')).toContain('started');

    const again = testKafka([`127.0.0.1:${port}`]).admin();
    await again.connect();
    expect(await again.listTopics()).toContain(topic);
    // Right after a start the group coordinator may still be loading its partition, which kafkajs' admin does not retry.
    const fetchOffsets = () => again.fetchOffsets({ groupId, topics: [topic] });
    let offsets: Awaited<ReturnType<typeof fetchOffsets>> = [];
    const loaded = async (): Promise<boolean> => {
      offsets = await fetchOffsets().catch(() => []);
      return offsets.length > 0;
    };
    await expect.poll(loaded, { timeout: 30_000, interval: 250 }).toBe(true);
    const byPartition = Object.fromEntries(offsets[0]!.partitions.map((p) => [p.partition, p.offset]));
    expect(byPartition).toEqual({ 0: '3', 1: '2' });
    const latest = await again.fetchTopicOffsets(topic);
    expect(latest.reduce((sum, p) => sum + Number(p.high), 0)).toBe(10);
    await again.disconnect();
  });
});
