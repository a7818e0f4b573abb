import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@paystream/core';
import { afterAll, describe, expect, it } from 'vitest';
import { coreConfigOf, ENVIRONMENT, loadWorkerConfig } from './worker-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('worker configuration', () => {
  it('has sensible defaults and freezes what it returns', () => {
    const { config } = loadWorkerConfig({ env: {} });
    expect(config).toMatchObject({
      kafka: { brokers: ['127.0.0.1:9092'], topicPrefix: '', partitions: 6 },
      maxInFlight: 256,
      reconciler: { firstMs: 30_000, maxMs: 300_000 },
      logLevel: 'info',
    });
    expect(Object.isFrozen(config.kafka)).toBe(true);
  });

  it('keeps ended orders by the documented defaults, takes fractions of days, and refuses negative or absurd ones by name', () => {
    expect(loadWorkerConfig({ env: {} }).config.state).toEqual({
      retentionDays: 30,
      refundWindowDays: 365,
      retiredMemoryDays: 90,
      sweepIntervalMs: 60_000,
      releaseGraceMs: 300_000,
    });
    const env = {
      PAYSTREAM_STATE_RETENTION_DAYS: '0.0001',
      PAYSTREAM_STATE_SWEEP_INTERVAL_MS: '200',
      PAYSTREAM_STATE_RELEASE_GRACE_MS: '2000',
    };
    expect(loadWorkerConfig({ env }).config.state).toMatchObject({ retentionDays: 0.0001, sweepIntervalMs: 200, releaseGraceMs: 2_000 });
    const file = join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({ state: { refundWindowDays: 1e9 } }));
    const found = issues(() =>
      loadWorkerConfig({
        env: { PAYSTREAM_CONFIG_FILE: file, PAYSTREAM_STATE_RETENTION_DAYS: '-3', PAYSTREAM_STATE_SWEEP_INTERVAL_MS: '0.5' },
      }),
    );
    expect(found).toHaveLength(3);
    expect(found).toContain('PAYSTREAM_STATE_RETENTION_DAYS (state.retentionDays): a number of days above 0 (fractions allowed)');
    expect(found).toContain(`${file}: state.refundWindowDays: at most 3650 days (ten years)`);
    expect(found.some((i) => i.startsWith('PAYSTREAM_STATE_SWEEP_INTERVAL_MS (state.sweepIntervalMs): '))).toBe(true);
  });

  it('layers file, then environment, then flags, and remembers where each value came from', () => {
    const file = join(dir, 'layers.json');
    writeFileSync(file, JSON.stringify({ maxInFlight: 10, kafka: { partitions: 3, topicPrefix: 'file.' } }));
    const { config, origins } = loadWorkerConfig({
      env: { PAYSTREAM_CONFIG_FILE: file, PAYSTREAM_MAX_IN_FLIGHT: '20', KAFKA_BROKERS: 'a:1,b:2' },
      flags: [{ flag: '--max-in-flight', path: ['maxInFlight'], value: 30 }],
    });
    expect(config.maxInFlight).toBe(30);
    expect(config.kafka).toMatchObject({ brokers: ['a:1', 'b:2'], partitions: 3, topicPrefix: 'file.' });
    expect(origins.get('maxInFlight')).toBe('--max-in-flight');
    expect(origins.get('kafka.brokers')).toBe('KAFKA_BROKERS');
    expect(origins.get('kafka.partitions')).toBe(`${file}: kafka.partitions`);
  });

  it('names the variable, flag or file field of every bad value, and never echoes the value', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ kafka: { partitions: 0 }, surprise: true }));
    const found = issues(() =>
      loadWorkerConfig({
        env: {
          PAYSTREAM_CONFIG_FILE: file,
          PAYSTREAM_MAX_IN_FLIGHT: 'lots-of-s3cret',
          KAFKA_BROKERS: 'no-port',
          PAYSTREAM_LOG_LEVEL: 'chatty',
        },
        flags: [{ flag: '--ops-port', path: ['operations', 'port'], value: 70000 }],
      }),
    );
    expect(found.join('\n')).not.toContain('lots-of-s3cret');
    expect(found.some((i) => i.startsWith('PAYSTREAM_MAX_IN_FLIGHT'))).toBe(true);
    expect(found.some((i) => i.startsWith('KAFKA_BROKERS'))).toBe(true);
    expect(found.some((i) => i.startsWith('PAYSTREAM_LOG_LEVEL'))).toBe(true);
    expect(found.some((i) => i.startsWith('--ops-port'))).toBe(true);
    expect(found.some((i) => i.startsWith(`${file}: kafka.partitions`))).toBe(true);
    expect(found.some((i) => i.includes('surprise'))).toBe(true);
  });

  it('refuses an unreadable file and a file that is not an object, by name', () => {
    expect(issues(() => loadWorkerConfig({ env: {}, file: join(dir, 'missing.json') }))).toEqual([
      `${join(dir, 'missing.json')}: no such file`,
    ]);
    writeFileSync(join(dir, 'array.json'), '[1]');
    expect(issues(() => loadWorkerConfig({ env: {}, file: join(dir, 'array.json') }))[0]).toContain('must hold a JSON object');
  });

  it('needs exactly one of core and simulator before anything talks to Midtrans, and validates core with its own rules', () => {
    const { config } = loadWorkerConfig({ env: {} });
    expect(issues(() => coreConfigOf(config))[0]).toMatch(/^core: give the Midtrans configuration/);
    const file = join(dir, 'core.json');
    writeFileSync(
      file,
      JSON.stringify({
        core: { snapBaseUrl: 'http://plain.example', coreBaseUrl: 'https://api.example', merchants: {}, midtransPublicKeyFiles: [] },
      }),
    );
    const found = issues(() => loadWorkerConfig({ env: {}, file }));
    expect(found.some((i) => i.includes('core.snapBaseUrl') && i.includes('https'))).toBe(true);
    expect(found.some((i) => i.includes('core.midtransPublicKeyFiles'))).toBe(true);
  });

  it('is documented: every variable appears in docs/configuration.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../../docs/configuration.md'), 'utf8');
    for (const v of ENVIRONMENT) expect(doc, v.name).toContain(`\`${v.name}\``);
    expect(doc).toContain('`PAYSTREAM_CONFIG_FILE`');
  });
});
