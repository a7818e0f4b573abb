import { ConfigError, createLogger, type CoreConfig } from '@paystream/core';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './worker-config.ts';
import { workerSettings } from './worker-options.ts';

// Stands in for a parsed core configuration: the options only carry it, by reference.
const core = Object.freeze({ defaultMerchant: 'default' }) as unknown as Readonly<CoreConfig>;

describe('workerSettings', () => {
  it('fills in exactly the configuration file defaults', () => {
    const { config } = loadWorkerConfig({ env: {} });
    const settings = workerSettings({ core, brokers: ['127.0.0.1:9092'] });
    expect(settings).toEqual({
      core,
      brokers: config.kafka.brokers,
      partitions: config.kafka.partitions,
      replicationFactor: config.kafka.replicationFactor,
      topicPrefix: config.kafka.topicPrefix,
      maxInFlight: config.maxInFlight,
      commandAuth: config.commands.auth,
      operations: config.operations,
      ingress: {
        host: config.ingress.host,
        port: config.ingress.port,
        allowPlainHttp: config.ingress.allowPlainHttp,
        minTlsVersion: config.ingress.minTlsVersion,
      },
      retry: config.retry,
      reconciler: config.reconciler,
      state: config.state,
      credentialsProbeMs: config.credentialsProbeMs,
      summaryIntervalMs: config.summaryIntervalMs,
      drainTimeoutMs: config.drainTimeoutMs,
    });
  });

  it('keeps what it is given, the core configuration and the logger by reference', () => {
    const logger = createLogger({ name: 'options', level: 'silent' });
    const settings = workerSettings({
      core,
      brokers: ['kafka-1:9092'],
      logger,
      retry: { baseMs: 10 },
      ingress: { host: '0.0.0.0', tls: { certPem: 'cert', keyPem: 'key' }, limits: { maxConnections: 5 } },
    });
    expect(settings.core).toBe(core);
    expect(settings.logger).toBe(logger);
    expect(settings.retry).toEqual({ baseMs: 10, maxMs: 30_000 });
    expect(settings.ingress).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      tls: { certPem: 'cert', keyPem: 'key' },
      limits: { maxConnections: 5 },
    });
  });

  it('refuses bad values with a ConfigError naming each field', () => {
    const bad = (): unknown =>
      workerSettings({ core, brokers: ['no port'], partitions: 0, topicPrefix: 'a b', ingress: { port: 70_000 }, plugins: ['Not Kebab'] });
    expect(bad).toThrow(ConfigError);
    const issues = ((): readonly string[] => {
      try {
        bad();
      } catch (err) {
        return (err as ConfigError).issues;
      }
      return [];
    })();
    expect(issues.map((i) => i.split(':')[0])).toEqual(['brokers.0', 'plugins.0', 'partitions', 'topicPrefix', 'ingress.port']);
  });
});
