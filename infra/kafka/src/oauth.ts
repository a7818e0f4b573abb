// OAUTHBEARER on the secured broker: the local OIDC issuer's files, the broker settings that trust it,
// and the issuer process, started before the broker (which fetches the JWKS at start-up) and stopped
// after it.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { secretsDir } from './credentials.ts';
import { BrokerError } from './errors.ts';

/** Clients of the client-credentials grant; a token's `sub` is the client id, so the principal is `User:<id>`. */
export const OAUTH_CLIENTS = ['paystream-worker', 'checkout', 'ledger', 'operator'] as const;
export const OAUTH_AUDIENCE = 'kafka';

/** The issuer listens on 127.0.0.1, port + 3 of the broker's. */
export const issuerPort = (port: number): number => port + 3;
export const issuerUrl = (port: number): string => `http://127.0.0.1:${issuerPort(port)}`;

const issuerScript = join(dirname(fileURLToPath(import.meta.url)), 'oidc-issuer.ts');

export function oauthFiles(home: string) {
  const dir = join(home, 'oauth');
  return { dir, signingKey: join(dir, 'signing.key'), pid: join(dir, 'issuer.pid'), log: join(dir, 'issuer.log') };
}

export const clientSecretFile = (home: string, clientId: string): string => join(secretsDir(home), `${clientId}.client-secret`);

/** The RS256 signing key and the client secrets, created once per home (0600, exclusively). */
export function ensureOAuthMaterial(home: string): void {
  const f = oauthFiles(home);
  mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  chmodSync(f.dir, 0o700);
  if (!existsSync(f.signingKey)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(f.signingKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  for (const id of OAUTH_CLIENTS) {
    const file = clientSecretFile(home, id);
    if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
}

/**
 * The SASL_SSL listener's OAUTHBEARER mechanism: JWTs validated against the issuer's JWKS, issuer and
 * audience. The validator class is explicit because Kafka 4.1.1's default (DefaultJwtValidator, built
 * without a key resolver) delegates to ClientJwtValidator, which never checks a signature.
 */
export function oauthProperties(port: number): string {
  const mechanism = 'listener.name.sasl_ssl.oauthbearer.';
  return [
    `${mechanism}sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;`,
    `${mechanism}sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler`,
    'sasl.oauthbearer.jwt.validator.class=org.apache.kafka.common.security.oauthbearer.BrokerJwtValidator',
    `sasl.oauthbearer.jwks.endpoint.url=${issuerUrl(port)}/jwks`,
    `sasl.oauthbearer.expected.issuer=${issuerUrl(port)}`,
    `sasl.oauthbearer.expected.audience=${OAUTH_AUDIENCE}`,
  ].join('\n');
}

/** Kafka 4 fetches no OAuth URL that this system property does not list. */
export const oauthJvmFlags = (port: number): string[] => [`-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${issuerUrl(port)}/jwks`];

function issuerPid(home: string): number | undefined {
  const file = oauthFiles(home).pid;
  const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isOurIssuer(home: string, pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(issuerScript) && cmdline.includes(home);
  } catch {
    return false;
  }
}

async function answersJwks(port: number): Promise<boolean> {
  try {
    return (await fetch(`${issuerUrl(port)}/jwks`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Starts the issuer detached (it lives as long as the broker) unless this home's issuer already answers. */
export async function ensureIssuer(home: string, port: number): Promise<void> {
  const f = oauthFiles(home);
  const running = issuerPid(home);
  if (running !== undefined && isOurIssuer(home, running)) {
    if (await answersJwks(port)) return;
    await stopIssuer(home);
  }
  const log = openSync(f.log, 'a');
  const child = spawn(process.execPath, [issuerScript, home, String(issuerPort(port))], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new BrokerError('Could not start the local OIDC issuer.');
  writeFileSync(f.pid, String(pid));
  child.unref();
  const deadline = Date.now() + 10_000;
  while (!(await answersJwks(port))) {
    if (!isOurIssuer(home, pid) || Date.now() > deadline) {
      throw new BrokerError(
        `The local OIDC issuer did not answer on ${issuerUrl(port)} (log: ${f.log}):\n${readFileSync(f.log, 'utf8').slice(-2000)}`,
      );
    }
    await sleep(100);
  }
}

export async function stopIssuer(home: string): Promise<void> {
  const pid = issuerPid(home);
  if (pid !== undefined && isOurIssuer(home, pid)) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && isOurIssuer(home, pid); i++) await sleep(100);
  }
  rmSync(oauthFiles(home).pid, { force: true });
}
