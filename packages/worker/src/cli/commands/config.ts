// `paystream config check`: what the worker would run with — the resolved configuration, where
// each setting came from, and whether every key, secret and certificate it names can be loaded —
// without starting anything. Secrets are never printed: only the files they come from and the
// fingerprints of the keys.
import { X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import { readConfiguredFile, type CoreServices } from '@paystream/core';
import { openCommandCore } from '../command-core.ts';
import { PAYMENT_METHOD_PLUGIN } from '@paystream/plugin-sdk';
import { commandKeysSummary } from '../../command-keys.ts';
import { readIngressTls } from '../../config/ingress-tls.ts';
import { coreConfigOf, loadWorkerConfig, type WorkerConfig } from '../../config/worker-config.ts';
import { kafkaConnection } from '../../kafka-connection.ts';
import { selectPlugins } from '../../worker.ts';
import { type Command } from '../args.ts';
import { configFlags, configOptions, configUsage } from './config-flags.ts';
import { describeMerchantKey, probeMerchantKeys } from './key-probe.ts';

/** A `…File` value is shown only when it names an existing file or an `env:` variable: anything else may be a secret pasted in by mistake. */
function shownRef(value: string): string {
  if (/^env:[A-Za-z_]\w*$/.test(value)) return value;
  try {
    if (statSync(value).isFile()) return value;
  } catch {
    // not a file: hidden below
  }
  return '[hidden: not an existing file or env: reference]';
}

function redactRefs(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redactRefs(v, key));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactRefs(v, k)]));
  if (typeof value === 'string' && /Files?$/.test(key)) return shownRef(value);
  return value;
}

function keySummary(core: CoreServices): Record<string, unknown> {
  const merchants = Object.fromEntries(
    core.keyRing.merchantNames().map((name) => {
      const m = core.keyRing.merchant(name);
      return [
        name,
        {
          clientId: m.clientId,
          partnerId: m.partnerId,
          channelId: m.channelId,
          merchantId: m.merchantId ?? null,
          privateKeySha256: m.signer.fingerprint,
          serverKey: m.serverKey ? 'loaded' : 'none (no Core API plugins)',
          revoked: m.revoked,
        },
      ];
    }),
  );
  return {
    merchants,
    midtransPublicKeys: core.keyRing.midtransKeys().map((k) => k.keyId),
    eventSigningKeys: core.eventSigner.publicKeys().map((k) => k.keyId),
  };
}

/**
 * How the Kafka clients would connect, after reading every certificate, key and password as they do
 * (a problem throws with the setting's name); secrets appear only as "loaded".
 */
function kafkaSummary(config: Readonly<WorkerConfig>, allowInsecureKeyFilePermissions: boolean): Record<string, unknown> {
  const warnings: string[] = [];
  const connection = kafkaConnection({
    clientId: 'paystream-config-check',
    brokers: config.kafka.brokers,
    security: config.kafka,
    allowInsecureKeyFilePermissions,
    warn: (message) => warnings.push(message),
  });
  const { tls, sasl } = config.kafka;
  const certFile = connection.ssl ? tls?.clientCertFile : undefined;
  const cert = certFile === undefined ? undefined : new X509Certificate(readConfiguredFile(certFile, 'kafka.tls.clientCertFile'));
  const credentials =
    sasl?.mechanism === 'oauthbearer'
      ? {
          tokenEndpoint: sasl.oauth?.tokenEndpoint,
          clientId: sasl.oauth?.clientId,
          scope: sasl.oauth?.scope ?? null,
          clientSecret: 'loaded',
        }
      : { username: sasl?.username, password: 'loaded' };
  return {
    transport: connection.ssl ? "TLS 1.2+ (core's cipher policy), broker certificates verified" : 'plaintext',
    clientCertificate: cert ? { subject: cert.subject, sha256: cert.fingerprint256, notAfter: cert.validTo } : null,
    sasl: sasl ? { mechanism: sasl.mechanism, ...credentials } : null,
    warnings,
  };
}

export const configCheck: Command = {
  words: ['config', 'check'],
  summary:
    'validate the configuration and load every key it names; print it (secrets never); a problem exits with the status docs/errors.md gives it (78 for configuration and keys)',
  usage: `usage: paystream config check ${configUsage} [--json]`,
  options: configOptions,
  async run(values) {
    const { config, origins } = loadWorkerConfig(configFlags(values));
    const plugins = selectPlugins(config.plugins)
      .getAll(PAYMENT_METHOD_PLUGIN)
      .map((p) => p.method);
    const coreConfig = coreConfigOf(config);
    // The ingress' TLS files are read by the worker, not by core: checked here as the worker reads them.
    readIngressTls(config, coreConfig.allowInsecureKeyFilePermissions);
    const kafka = kafkaSummary(config, coreConfig.allowInsecureKeyFilePermissions);
    const core = await openCommandCore(coreConfig);
    try {
      const commandKeys = await commandKeysSummary(config.commands.auth);
      // An HSM or KMS key is checked as the worker will use it: a session opened, a probe signed and verified.
      const merchantKeys = await probeMerchantKeys(core);
      const report = {
        configuration: redactRefs(config),
        setBy: Object.fromEntries(origins),
        plugins,
        kafka,
        keys: { ...keySummary(core), merchantKeys },
        commandKeys,
      };
      if (values['json'] === true) console.log(JSON.stringify(report, null, 2));
      else {
        console.log(`configuration is valid; plugins: ${plugins.join(', ')}`);
        console.log(JSON.stringify(report, null, 2));
      }
      const unusable = merchantKeys.filter((k) => !k.ok);
      for (const k of unusable) console.error(describeMerchantKey(k));
      // 69: a key store (HSM, KMS) that cannot sign is a service unavailable, as docs/errors.md gives it.
      return unusable.length > 0 ? 69 : 0;
    } finally {
      await core.close();
    }
  },
};
