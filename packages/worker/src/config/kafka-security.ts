// How every Kafka client connects: `kafka.tls`, `kafka.sasl` and `kafka.allowPlaintext` of the worker
// configuration (spread into its `kafka` object), and the same fields as runWorker takes them, with an
// optional OAUTHBEARER token provider. Files and `env:` references only: secrets are never values here,
// and every message names the setting, never what it holds.
import { ConfigError } from '@paystream/core';
import { isLoopbackHost } from '@paystream/runtime';
import { z } from 'zod';
import { ENVIRONMENT, environmentOf, parseValue } from './environment.ts';

/** A secret is never written in the configuration itself: a file path, or `env:NAME`. */
const secretRef = z.string().min(1, 'must name a file path or env:VARIABLE');

/** https:, or http: towards this host only; no user name, password, query or fragment, which could hold a secret. */
function tokenEndpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL';
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    return 'must hold no credentials, query or fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'must be an https: URL (http: only on a loopback address)';
}

export const KafkaTlsConfig = z
  .strictObject({
    /** false turns TLS off (e.g. an environment variable over a file that sets it); present means on. */
    enabled: z.boolean().default(true),
    /** PEM CA bundles the brokers' certificates may chain to, besides the system roots. */
    caFiles: z.array(secretRef).default([]),
    /** Mutual TLS: the client certificate and its private key (owner-only file), both or neither. */
    clientCertFile: secretRef.optional(),
    clientKeyFile: secretRef.optional(),
    /** The name the brokers' certificates are checked against, when it is not the broker's host. */
    serverName: z.string().min(1).optional(),
  })
  .refine((t) => (t.clientCertFile === undefined) === (t.clientKeyFile === undefined), {
    message: 'give both clientCertFile and clientKeyFile, or neither',
    path: ['clientKeyFile'],
  });
export type KafkaTlsConfig = z.infer<typeof KafkaTlsConfig>;

export const KafkaOAuthConfig = z.strictObject({
  /** The OIDC provider's token endpoint (client-credentials grant). */
  tokenEndpoint: z.string().superRefine((v, ctx) => {
    const problem = tokenEndpointProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  clientId: z.string().min(1),
  clientSecretFile: secretRef,
  scope: z.string().min(1).optional(),
});
export type KafkaOAuthConfig = z.infer<typeof KafkaOAuthConfig>;

export const SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512', 'plain', 'oauthbearer'] as const;

export const KafkaSaslConfig = z
  .strictObject({
    mechanism: z.enum(SASL_MECHANISMS),
    username: z.string().min(1).optional(),
    /** The password's file (owner-only), or `env:NAME`; read again at each authentication. */
    passwordFile: secretRef.optional(),
    /** OAUTHBEARER's built-in OIDC client-credentials token provider. */
    oauth: KafkaOAuthConfig.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.mechanism === 'oauthbearer') {
      for (const field of ['username', 'passwordFile'] as const)
        if (s[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'not used by oauthbearer: remove it' });
      return;
    }
    for (const field of ['username', 'passwordFile'] as const)
      if (s[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `required by ${s.mechanism}` });
    if (s.oauth !== undefined) ctx.addIssue({ code: 'custom', path: ['oauth'], message: 'used by oauthbearer only: remove it' });
  });
export type KafkaSaslConfig = z.infer<typeof KafkaSaslConfig>;

/** The security fields of the configuration's `kafka` object. */
export const kafkaSecurityFields = {
  tls: KafkaTlsConfig.optional(),
  sasl: KafkaSaslConfig.optional(),
  /** Plaintext towards a broker that is not on this host: refused at start unless true (then a warning). */
  allowPlaintext: z.boolean().default(false),
};

/** OAUTHBEARER's token source: the built-in OIDC client, or another one given to runWorker (e.g. Amazon MSK IAM). */
export type OauthBearerProvider = () => Promise<{ value: string }>;

interface SecurityFields {
  readonly tls?: KafkaTlsConfig | undefined;
  readonly sasl?: KafkaSaslConfig | undefined;
  readonly oauthBearerProvider?: unknown;
}

/** The rules across fields: PLAIN only inside TLS, and an OAUTHBEARER token source. */
export function checkKafkaSecurity(k: SecurityFields, ctx: z.RefinementCtx): void {
  const sasl = k.sasl;
  if (sasl === undefined) return;
  if (sasl.mechanism === 'plain' && k.tls?.enabled !== true)
    ctx.addIssue({ code: 'custom', path: ['sasl', 'mechanism'], message: 'plain sends the password as it is: only with kafka.tls' });
  if (sasl.mechanism === 'oauthbearer' && sasl.oauth === undefined && k.oauthBearerProvider === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['sasl', 'oauth'],
      message: 'required by oauthbearer (tokenEndpoint, clientId, clientSecretFile)',
    });
}

/** The fields as a program gives them (runWorker, the harnesses): the configuration's, plus another OAUTHBEARER token provider. */
export const KafkaSecurity = z
  .object({
    ...kafkaSecurityFields,
    /** Replaces the built-in OIDC client for OAUTHBEARER: e.g. Amazon MSK IAM's token signer. */
    oauthBearerProvider: z.custom<OauthBearerProvider>((v) => typeof v === 'function', 'a function returning { value: token }').optional(),
  })
  .superRefine(checkKafkaSecurity);
export type KafkaSecurityInput = z.input<typeof KafkaSecurity>;
export type KafkaSecurity = z.output<typeof KafkaSecurity>;

/** Validates the security fields (a configuration's `kafka` object will do); a ConfigError names each bad `kafka.` field. */
export function parseKafkaSecurity(input: KafkaSecurityInput = {}): KafkaSecurity {
  const parsed = KafkaSecurity.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${['kafka', ...i.path.map(String)].join('.')}: ${i.message}`));
}

/** The environment variables (KAFKA_TLS…, KAFKA_SASL…) that give a worker process these settings, defaults included. */
export function kafkaSecurityEnvironment(input: KafkaSecurityInput = {}): Record<string, string> {
  return environmentOf({ kafka: parseKafkaSecurity(input) });
}

/** What the worker's KAFKA_TLS…, KAFKA_SASL… and KAFKA_ALLOW_PLAINTEXT variables say, for a program's own clients; undefined when none is set. */
export function kafkaSecurityFromEnvironment(env: NodeJS.ProcessEnv = process.env): KafkaSecurity | undefined {
  const input: Record<string, unknown> = {};
  for (const v of ENVIRONMENT) {
    const raw = env[v.name];
    if (v.path[0] !== 'kafka' || !['tls', 'sasl', 'allowPlaintext'].includes(v.path[1] ?? '') || raw === undefined || raw === '') continue;
    let node = input;
    for (const key of v.path.slice(1, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[v.path.at(-1) ?? ''] = parseValue(raw, v.parse);
  }
  return Object.keys(input).length === 0 ? undefined : parseKafkaSecurity(input);
}
