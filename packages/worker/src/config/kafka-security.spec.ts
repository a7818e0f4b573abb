import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@paystream/core';
import { afterAll, describe, expect, it } from 'vitest';
import { configFlags } from '../cli/commands/config-flags.ts';
import { kafkaSecurityEnvironment, kafkaSecurityFromEnvironment, parseKafkaSecurity } from './kafka-security.ts';
import { loadWorkerConfig } from './worker-config.ts';
import { workerSettings } from './worker-options.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-kafka-security-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A value that must never be echoed by an error. */
const SECRET = 'S3cret-Pa55word-do-not-print';

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

function fileConfig(kafka: unknown): string {
  const file = join(dir, `c${String(Math.random()).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ kafka }));
  return file;
}

describe('kafka.tls, kafka.sasl and kafka.allowPlaintext', () => {
  it('are absent by default: plaintext, no SASL, plaintext not allowed off this host', () => {
    const { config } = loadWorkerConfig({ env: {} });
    expect(config.kafka.tls).toBeUndefined();
    expect(config.kafka.sasl).toBeUndefined();
    expect(config.kafka.allowPlaintext).toBe(false);
  });

  it('accept SCRAM over TLS with mutual TLS from a file, filling the defaults', () => {
    const file = fileConfig({
      brokers: ['kafka-1.internal:9093'],
      tls: { caFiles: ['/etc/kafka/ca.pem'], clientCertFile: '/etc/kafka/client.pem', clientKeyFile: '/etc/kafka/client.key' },
      sasl: { mechanism: 'scram-sha-512', username: 'paystream-worker', passwordFile: 'env:KAFKA_PASSWORD' },
    });
    const { config } = loadWorkerConfig({ env: {}, file });
    expect(config.kafka.tls).toEqual({
      enabled: true,
      caFiles: ['/etc/kafka/ca.pem'],
      clientCertFile: '/etc/kafka/client.pem',
      clientKeyFile: '/etc/kafka/client.key',
    });
    expect(config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'paystream-worker', passwordFile: 'env:KAFKA_PASSWORD' });
  });

  it('are set by environment variables and flags too, each remembered as the origin', () => {
    const { config, origins } = loadWorkerConfig({
      env: {
        KAFKA_TLS: 'true',
        KAFKA_SASL_MECHANISM: 'oauthbearer',
        KAFKA_SASL_OAUTH_TOKEN_ENDPOINT: 'https://idp.example/oauth2/token',
        KAFKA_SASL_OAUTH_CLIENT_ID: 'paystream',
        KAFKA_SASL_OAUTH_CLIENT_SECRET_FILE: '/run/secrets/kafka-oauth',
      },
      ...configFlags({ 'kafka-oauth-scope': 'kafka', 'kafka-server-name': 'kafka.example' }),
    });
    expect(config.kafka.tls).toEqual({ enabled: true, caFiles: [], serverName: 'kafka.example' });
    expect(config.kafka.sasl?.oauth).toEqual({
      tokenEndpoint: 'https://idp.example/oauth2/token',
      clientId: 'paystream',
      clientSecretFile: '/run/secrets/kafka-oauth',
      scope: 'kafka',
    });
    expect(origins.get('kafka.sasl.mechanism')).toBe('KAFKA_SASL_MECHANISM');
    expect(origins.get('kafka.sasl.oauth.scope')).toBe('--kafka-oauth-scope');
  });

  it('refuse PLAIN without TLS, naming the variable that chose it', () => {
    const found = issues(() =>
      loadWorkerConfig({ env: { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/run/secrets/p' } }),
    );
    expect(found).toEqual(['KAFKA_SASL_MECHANISM (kafka.sasl.mechanism): plain sends the password as it is: only with kafka.tls']);
    const off = issues(() =>
      loadWorkerConfig({
        env: { KAFKA_TLS: 'false', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/run/secrets/p' },
      }),
    );
    expect(off).toHaveLength(1);
  });

  it('name each missing or misplaced field of a mechanism', () => {
    const scram = issues(() => loadWorkerConfig({ env: {}, file: fileConfig({ tls: {}, sasl: { mechanism: 'scram-sha-256' } }) }));
    expect(scram.some((i) => i.includes('kafka.sasl.username') && i.includes('required by scram-sha-256'))).toBe(true);
    expect(scram.some((i) => i.includes('kafka.sasl.passwordFile') && i.includes('required by scram-sha-256'))).toBe(true);
    const oauth = issues(() => loadWorkerConfig({ env: { KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_USERNAME: 'u' } }));
    expect(oauth).toContain('KAFKA_SASL_USERNAME (kafka.sasl.username): not used by oauthbearer: remove it');
    expect(oauth.some((i) => i.includes('kafka.sasl.oauth') && i.includes('required by oauthbearer'))).toBe(true);
    const half = issues(() => loadWorkerConfig({ env: { KAFKA_TLS_CERT_FILE: '/etc/kafka/client.pem' } }));
    expect(half.some((i) => i.includes('kafka.tls.clientKeyFile') && i.includes('both'))).toBe(true);
  });

  it('refuse a plain-HTTP or credential-bearing token endpoint without echoing it', () => {
    const base = { KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTH_CLIENT_ID: 'c', KAFKA_SASL_OAUTH_CLIENT_SECRET_FILE: '/s' };
    const plain = issues(() => loadWorkerConfig({ env: { ...base, KAFKA_SASL_OAUTH_TOKEN_ENDPOINT: 'http://idp.example/token' } }));
    expect(plain).toEqual([
      'KAFKA_SASL_OAUTH_TOKEN_ENDPOINT (kafka.sasl.oauth.tokenEndpoint): must be an https: URL (http: only on a loopback address)',
    ]);
    const loopback = loadWorkerConfig({ env: { ...base, KAFKA_SASL_OAUTH_TOKEN_ENDPOINT: 'http://127.0.0.1:8080/token' } });
    expect(loopback.config.kafka.sasl?.oauth?.tokenEndpoint).toBe('http://127.0.0.1:8080/token');
    const userinfo = issues(() =>
      loadWorkerConfig({ env: { ...base, KAFKA_SASL_OAUTH_TOKEN_ENDPOINT: `https://paystream:${SECRET}@idp.example/token` } }),
    );
    expect(userinfo).toEqual([
      'KAFKA_SASL_OAUTH_TOKEN_ENDPOINT (kafka.sasl.oauth.tokenEndpoint): must hold no credentials, query or fragment',
    ]);
  });

  it('never echo a value in an error, whatever field it was put in', () => {
    const found = issues(() =>
      loadWorkerConfig({
        env: { KAFKA_SASL_MECHANISM: SECRET, KAFKA_ALLOW_PLAINTEXT: SECRET, KAFKA_TLS: SECRET },
        file: fileConfig({ sasl: { password: SECRET }, tls: { caFiles: SECRET } }),
      }),
    );
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(found.join('\n')).not.toContain(SECRET);
    expect(found.some((i) => i.startsWith('KAFKA_SASL_MECHANISM'))).toBe(true);
    expect(found.some((i) => i.startsWith('KAFKA_ALLOW_PLAINTEXT'))).toBe(true);
  });

  it('are what runWorker takes too, checked by the same rules', () => {
    expect(() =>
      workerSettings({ core: {} as never, brokers: ['127.0.0.1:9092'], kafkaSecurity: { sasl: { mechanism: 'plain' } } }),
    ).toThrow(/kafkaSecurity\.sasl\.username: required by plain/);
    const provider = () => Promise.resolve({ value: 'token' });
    const settings = workerSettings({
      core: {} as never,
      brokers: ['127.0.0.1:9092'],
      kafkaSecurity: { tls: {}, sasl: { mechanism: 'oauthbearer' }, oauthBearerProvider: provider },
    });
    expect(settings.kafkaSecurity?.oauthBearerProvider).toBe(provider);
    expect(() => parseKafkaSecurity({ sasl: { mechanism: 'oauthbearer' } })).toThrow(/kafka\.sasl\.oauth: required by oauthbearer/);
  });

  it('travel to a worker process as its environment variables and back', () => {
    const security = {
      tls: { caFiles: ['/ca/a.pem', '/ca/b.pem'] },
      sasl: { mechanism: 'scram-sha-512' as const, username: 'w', passwordFile: 'env:PW' },
    };
    const env = kafkaSecurityEnvironment(security);
    expect(env).toMatchObject({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILES: '/ca/a.pem,/ca/b.pem', KAFKA_SASL_PASSWORD_FILE: 'env:PW' });
    const { config } = loadWorkerConfig({ env });
    expect(config.kafka.tls).toEqual(parseKafkaSecurity(security).tls);
    expect(config.kafka.sasl).toEqual(security.sasl);
    expect(kafkaSecurityFromEnvironment(env)).toEqual(parseKafkaSecurity(security));
    expect(kafkaSecurityFromEnvironment({ KAFKA_BROKERS: 'a:1' })).toBeUndefined();
  });
});
