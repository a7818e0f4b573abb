import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrokerError } from './errors.ts';
import { ensureIssuer, stopIssuer } from './oauth.ts';
import { answersMetadata, portInUse } from './probe.ts';
import { adminSecurity, prepareInstance } from './secure.ts';

export { BrokerError } from './errors.ts';
export { answersMetadata, portInUse } from './probe.ts';

const infraDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(infraDir, '../..');

export interface BrokerOptions {
  /** Folder holding jars, config, data, pid and log. Data survives restarts. */
  readonly home: string;
  /**
   * The client listener on 127.0.0.1 (PLAINTEXT, or SASL_SSL when secure); the controller listens on
   * port + 1, a secured broker's mTLS listener on port + 2 and its OIDC issuer on port + 3.
   */
  readonly port: number;
  /** The environment variable that chooses `port`, named when the port is taken (KAFKA_PORT when absent). */
  readonly portVariable?: string;
  /** TLS everywhere, SCRAM and mTLS principals, ACLs: docs/kafka.md, "The secured broker". */
  readonly secure?: boolean;
  /** How long to wait for the broker to answer metadata requests. */
  readonly readyTimeoutMs?: number;
  /** server.properties of a node of a cluster (cluster.ts), instead of the single-node one; PLAINTEXT only. */
  readonly properties?: (dataDir: string) => string;
}

/** The listeners use port .. port + this. */
const lastPortOffset = (secure: boolean | undefined): number => (secure ? 3 : 1);

/**
 * Defaults used by `npm run kafka:*`: KAFKA_HOME (./.local/kafka) and KAFKA_PORT (9092); with
 * `--secure`, ./.local/kafka-secure and 9192, so both brokers can run side by side.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env, secure = false): BrokerOptions {
  const port = Number(env['KAFKA_PORT'] ?? (secure ? 9192 : 9092));
  const last = 65535 - lastPortOffset(secure);
  if (!Number.isInteger(port) || port < 1 || port > last) {
    throw new BrokerError(`KAFKA_PORT must be an integer between 1 and ${last}, got "${env['KAFKA_PORT'] ?? ''}"`);
  }
  const home = resolve(env['KAFKA_HOME'] ?? join(repoRoot, secure ? '.local/kafka-secure' : '.local/kafka'));
  return secure ? { home, port, secure } : { home, port };
}

/** Jars are shared by every broker instance of the checkout; only config and data are per instance. */
const libsDir = resolve(process.env['KAFKA_LIBS'] ?? join(repoRoot, '.local/kafka-libs'));

const paths = (home: string) => ({
  libs: libsDir,
  libsStamp: join(libsDir, '.pom-sha256'),
  data: join(home, 'data'),
  config: join(home, 'server.properties'),
  clusterId: join(home, 'cluster-id'),
  pid: join(home, 'broker.pid'),
  log: join(home, 'broker.log'),
  formatArgs: join(home, 'format.args'),
});

const jvmFlags = [
  '-Xms256m',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
  `-Dlog4j2.configurationFile=${join(infraDir, 'log4j2.properties')}`,
];

function requireJava(): void {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error) throw new BrokerError('Java is not installed or not on PATH: Kafka 4.x needs Java 17 or newer.');
  const match = /version "(\d+)/.exec(r.stderr);
  const major = Number(match?.[1] ?? 0);
  if (major < 17) throw new BrokerError(`Kafka 4.x needs Java 17 or newer; found ${match?.[1] ?? 'an unknown version'}.`);
}

/** Resolves the broker's jars from Maven Central once per pom.xml content (cached in ~/.m2 too). */
export function resolveJars(home: string): string {
  const p = paths(home);
  const pom = join(infraDir, 'pom.xml');
  const pomHash = createHash('sha256').update(readFileSync(pom)).digest('hex');
  if (existsSync(p.libsStamp) && readFileSync(p.libsStamp, 'utf8') === pomHash) return p.libs;
  rmSync(p.libs, { recursive: true, force: true });
  mkdirSync(p.libs, { recursive: true });
  const r = spawnSync('mvn', ['-B', '-q', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${p.libs}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) throw new BrokerError('Maven (mvn) is not installed or not on PATH: it resolves the Kafka jars from Maven Central.');
  if (r.status !== 0) {
    const tail = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new BrokerError(`Maven could not resolve the Kafka jars (is Maven Central reachable?):\n${tail}`);
  }
  if (!readdirSync(p.libs).some((f) => f.startsWith('kafka_2.13-'))) {
    throw new BrokerError(`Maven finished but ${p.libs} holds no kafka_2.13 jar.`);
  }
  writeFileSync(p.libsStamp, pomHash);
  return p.libs;
}

/** A 22-character base64url id of 16 bytes that does not start with '-', as StorageTool requires. */
function newClusterId(): string {
  for (;;) {
    const id = createHash('sha256').update(`${Date.now()}:${Math.random()}`).digest().subarray(0, 16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * The tool's arguments go through a java @argfile (0600, removed afterwards) so the SCRAM passwords of
 * a secured broker never appear in the process list.
 */
function formatStorage(home: string, classpath: string, extra: readonly string[]): void {
  const p = paths(home);
  if (!existsSync(p.clusterId)) writeFileSync(p.clusterId, newClusterId());
  const clusterId = readFileSync(p.clusterId, 'utf8').trim();
  const args = ['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', p.config, '--ignore-formatted', ...extra];
  rmSync(p.formatArgs, { force: true });
  writeFileSync(p.formatArgs, args.map((a) => `"${a.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join('\n'), { mode: 0o600 });
  try {
    const r = spawnSync('java', [...jvmFlags, '-cp', classpath, `@${p.formatArgs}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new BrokerError(`Formatting Kafka storage failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(p.formatArgs, { force: true });
  }
}

export function readPid(home: string): number | undefined {
  const file = paths(home).pid;
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** True only for a live process that is this instance's broker (guards against reused pids). */
export function isOurBroker(home: string, pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('kafka.Kafka') && cmdline.includes(paths(home).config);
  } catch {
    return false;
  }
}

function logTail(home: string, lines = 20): string {
  const file = paths(home).log;
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n') : '(no log)';
}

export interface BrokerStatus {
  readonly running: boolean;
  readonly pid?: number;
  readonly ready: boolean;
  readonly brokers: string;
  readonly home: string;
}

/** The secured broker answers its admin only; a missing secret means it cannot be ready. */
async function answers(opts: BrokerOptions): Promise<boolean> {
  if (!opts.secure) return answersMetadata(opts.port);
  try {
    return await answersMetadata(opts.port, adminSecurity(opts.home));
  } catch {
    return false;
  }
}

export async function status(opts: BrokerOptions): Promise<BrokerStatus> {
  const pid = readPid(opts.home);
  const running = pid !== undefined && isOurBroker(opts.home, pid);
  const ready = running && (await answers(opts));
  return { running, ready, brokers: `127.0.0.1:${opts.port}`, home: opts.home, ...(running ? { pid } : {}) };
}

/**
 * Starts the broker detached (it outlives this process) and resolves once it serves metadata.
 * Returns false when this instance was already running.
 */
export async function start(opts: BrokerOptions): Promise<boolean> {
  const p = paths(opts.home);
  const current = await status(opts);
  if (current.running) {
    if (opts.secure) await ensureIssuer(opts.home, opts.port);
    if (!current.ready) await waitReady(opts, current.pid);
    return false;
  }
  // An issuer left behind by a broker that died holds port + 3.
  await stopIssuer(opts.home);
  for (let port = opts.port; port <= opts.port + lastPortOffset(opts.secure); port++) {
    if (await portInUse(port)) {
      const variable = opts.portVariable ?? 'KAFKA_PORT';
      throw new BrokerError(
        `Port ${port} on 127.0.0.1 is taken by another process; stop it or choose another port with ${variable} (the broker uses ${variable} to ${variable} + ${lastPortOffset(opts.secure)}).`,
      );
    }
  }
  requireJava();
  mkdirSync(p.data, { recursive: true });
  const classpath = `${resolveJars(opts.home)}/*`;
  const setup = prepareInstance(opts.home, p.data, opts.port, opts.secure ?? false);
  writeFileSync(p.config, opts.properties?.(p.data) ?? setup.properties);
  formatStorage(opts.home, classpath, setup.formatArguments);
  // The broker fetches the issuer's JWKS as it starts.
  if (opts.secure) await ensureIssuer(opts.home, opts.port);
  const log = openSync(p.log, 'a');
  const child = spawn('java', [...jvmFlags, ...setup.jvmFlags, '-cp', classpath, 'kafka.Kafka', p.config], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new BrokerError('Could not start java for the Kafka broker.');
  writeFileSync(p.pid, String(child.pid));
  child.unref();
  await waitReady(opts, child.pid);
  return true;
}

async function waitReady(opts: BrokerOptions, pid: number | undefined): Promise<void> {
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (pid !== undefined && !isOurBroker(opts.home, pid)) {
      throw new BrokerError(`The Kafka broker exited during start-up. Last log lines (${paths(opts.home).log}):\n${logTail(opts.home)}`);
    }
    if ((await portInUse(opts.port)) && (await answers(opts))) return;
    await sleep(200);
  }
  throw new BrokerError(
    `The Kafka broker did not answer on 127.0.0.1:${opts.port} within ${opts.readyTimeoutMs ?? 60_000} ms:\n${logTail(opts.home)}`,
  );
}

/**
 * SIGTERM (graceful controlled shutdown), SIGKILL after the grace period, then the secured broker's
 * OIDC issuer. Returns false if the broker was not running.
 */
export async function stop(opts: BrokerOptions, graceMs = 30_000): Promise<boolean> {
  const pid = readPid(opts.home);
  if (pid === undefined || !isOurBroker(opts.home, pid)) {
    rmSync(paths(opts.home).pid, { force: true });
    await stopIssuer(opts.home);
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isOurBroker(opts.home, pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await sleep(200);
    }
    await sleep(100);
  }
  rmSync(paths(opts.home).pid, { force: true });
  await stopIssuer(opts.home);
  return true;
}
