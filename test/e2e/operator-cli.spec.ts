// What an operator does with the `paystream` CLI, against the real broker and the simulator:
// `config check` shows the resolved configuration without a single secret and names every bad
// setting by its variable; `dlq inspect` shows a refused command's code, origin and its payload,
// decrypted with the event-encryption key of the configuration, card numbers masked; `dlq replay`
// sends it back to its method's command topic, where it is refused again with its attempts counted
// from the first time it was seen.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import { testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { until } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const cli = join(import.meta.dirname, '../../packages/worker/src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'paystream-operator-cli-'));
const prefix = `${uniqueTopic('ops')}.`;
let sim: Simulator;
let worker: ChildProcess | undefined;
let brokers: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function paystream(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const common = (): string[] => ['--simulator', join(dir, 'sim.json'), '--brokers', brokers, '--topic-prefix', prefix, '--plugins', 'gopay'];

beforeAll(async () => {
  brokers = inject('kafkaBrokers').join(',');
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
});
afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paystream config check', () => {
  it('prints the resolved configuration and where each value came from, and no secret it loaded', async () => {
    const r = await paystream(['config', 'check', ...common(), '--json'], { PAYSTREAM_MAX_IN_FLIGHT: '64' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      configuration: { maxInFlight: number };
      setBy: Record<string, string>;
      plugins: string[];
      keys: { merchants: Record<string, { privateKeySha256: string }> };
    };
    expect(report.configuration.maxInFlight).toBe(64);
    expect(report.setBy['maxInFlight']).toBe('PAYSTREAM_MAX_IN_FLIGHT');
    expect(report.plugins).toEqual(['gopay']);
    expect(report.keys.merchants['default']?.privateKeySha256).toMatch(/^[0-9a-f:]{20,}/i);
    const descriptor = readFileSync(join(dir, 'sim.json'), 'utf8');
    const secrets = [
      sim.credentials.clientSecret,
      sim.credentials.serverKey,
      ...(descriptor.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[^-]+/g) ?? []),
    ];
    expect(secrets.length).toBeGreaterThan(1);
    for (const s of secrets) expect(r.stdout).not.toContain(s.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, '').slice(0, 40));
  });

  it('exits 78 naming every bad setting by its variable or flag, never echoing the value', async () => {
    const r = await paystream(['config', 'check', ...common(), '--max-in-flight', 'lots'], {
      PAYSTREAM_LOG_LEVEL: 'chatty-x',
      PAYSTREAM_RETRY_BASE_MS: 'soon-y',
    });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('PS_ERR_CONFIG_INVALID');
    expect(r.stderr).toContain('--max-in-flight');
    expect(r.stderr).toContain('PAYSTREAM_LOG_LEVEL');
    expect(r.stderr).toContain('PAYSTREAM_RETRY_BASE_MS');
    for (const value of ['lots', 'chatty-x', 'soon-y']) expect(r.stderr).not.toContain(value);
  });
});

interface DlqEntry {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly record: {
    code: string;
    message: string;
    originalTopic: string;
    attempts: number;
    firstSeen: string;
    payload: { alg: string; kid: string };
    payloadBytes: number;
    payloadMasked?: boolean;
  };
  /** The refused command as received (card numbers masked), decrypted by the CLI. */
  readonly payload: string | null;
}

async function dlq(): Promise<DlqEntry[]> {
  const r = await paystream(['dlq', 'inspect', 'gopay', '--json', ...common()]);
  if (r.code !== 0) throw new Error(`dlq inspect exited ${String(r.code)}: ${r.stderr}`);
  return JSON.parse(r.stdout) as DlqEntry[];
}

async function publishRaw(orderId: string, command: unknown): Promise<void> {
  const producer = testKafka(brokers.split(',')).producer();
  await producer.connect();
  try {
    await producer.send({
      topic: `${prefix}paystream.commands.gopay`,
      acks: -1,
      messages: [{ key: orderId, value: JSON.stringify(command) }],
    });
  } finally {
    await producer.disconnect();
  }
}

const charge = (orderId: string, details: Record<string, unknown>): Record<string, unknown> => ({
  commandId: randomUUID(),
  type: 'payment.charge',
  method: 'gopay',
  orderId,
  amount: { value: 10_000, currency: 'IDR' },
  details,
  requestedAt: new Date().toISOString(),
});

describe('paystream dlq inspect and replay', () => {
  const card = '4811111111111114';
  const carded = `dlq-card-${randomUUID().slice(0, 8)}`;
  const invalid = `dlq-invalid-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    worker = spawn(process.execPath, [cli, 'worker', ...common()], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PAYSTREAM_LOG_LEVEL: 'warn', PAYSTREAM_STATE_DIR: join(dir, 'state') },
    });
    await new Promise<void>((done, fail) => {
      worker?.stdout?.on('data', (c: Buffer) => {
        if (c.toString().includes('paystream worker running')) done();
      });
      worker?.once('exit', (code) => fail(new Error(`worker exited early with ${String(code)}`)));
    });
    await publishRaw(carded, charge(carded, { note: card }));
    await publishRaw(invalid, charge(invalid, { accountToken: 42 }));
    await until(
      async () => (await dlq()).length === 2,
      () => 'both refused commands in the DLQ',
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
  }, 300_000);

  it('shows each refused command with its code, reason, origin and a payload with no card in it', async () => {
    const entries = await dlq();
    expect(entries.find((e) => e.key === carded)).toMatchObject({
      record: { code: 'PS_ERR_COMMAND_CARD_DATA', originalTopic: `${prefix}paystream.commands.gopay`, attempts: 1 },
    });
    expect(entries.find((e) => e.key === invalid)).toMatchObject({ record: { code: 'PS_ERR_COMMAND_INVALID_DETAILS', attempts: 1 } });
    expect(JSON.stringify(entries)).not.toContain(card);
    const refused = entries.find((e) => e.key === invalid);
    expect(refused?.record.payload.alg).toBe('A256GCM');
    expect(JSON.parse(refused?.payload ?? '{}')).toMatchObject({ orderId: invalid, method: 'gopay', details: { accountToken: 42 } });
    expect(entries.find((e) => e.key === carded)?.record.payloadMasked).toBe(true);
    expect(entries.find((e) => e.key === carded)?.payload).toContain(carded);
    const text = await paystream(['dlq', 'inspect', 'gopay', ...common()]);
    expect(text.stdout).toContain('2 record(s)');
    expect(text.stdout).toContain('PS_ERR_COMMAND_INVALID_DETAILS');
    expect(text.stdout).not.toContain(card);
    const one = await paystream(['dlq', 'inspect', 'gopay', '--code', 'PS_ERR_COMMAND_CARD_DATA', '--json', ...common()]);
    expect((JSON.parse(one.stdout) as DlqEntry[]).map((e) => e.key)).toEqual([carded]);
  });

  it('replays a chosen record to its command topic, where it counts as the second attempt since it was first seen', async () => {
    const first = (await dlq()).find((e) => e.key === invalid);
    const at = `${String(first?.partition)}:${String(first?.offset)}`;
    const dry = await paystream(['dlq', 'replay', 'gopay', '--at', at, '--dry-run', ...common()]);
    expect(dry.stdout).toContain('would replay 1 record(s)');
    const none = await paystream(['dlq', 'replay', 'gopay', ...common()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('choose the records');

    const replay = await paystream(['dlq', 'replay', 'gopay', '--at', at, ...common()]);
    expect(replay.stdout).toContain('replayed 1 record(s)');
    await expect.poll(async () => (await dlq()).filter((e) => e.key === invalid).length, { timeout: 180_000, interval: 1_000 }).toBe(2);
    const again = (await dlq()).filter((e) => e.key === invalid)[1];
    expect(again?.record).toMatchObject({ code: 'PS_ERR_COMMAND_INVALID_DETAILS', attempts: 2, firstSeen: first?.record.firstSeen });
  }, 300_000);

  it('never replays a command that carried card data: its stored payload is masked, so not the command that was sent', async () => {
    const refused = await paystream(['dlq', 'replay', 'gopay', '--code', 'PS_ERR_COMMAND_CARD_DATA', ...common()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('card data');
    const all = await paystream(['dlq', 'replay', 'gopay', '--all', '--dry-run', ...common()]);
    expect(all.stdout).toContain('would replay 2 record(s)');
    expect(all.stderr).toContain('not replaying');
    expect(sim.store.ledger.filter((e) => [carded, invalid].includes(e.partnerReferenceNo))).toEqual([]);
  });
});
