// A payment run against the extracted artifact's `bin/paystream worker`: the run's own topics on the
// test broker, the Midtrans simulator notifying the worker's ingress, the harness's upstream
// publisher, verifying result collector and customers — only the worker comes from the artifact.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentCommand } from '@paystream/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { CORE_NOTIFICATION_PATH, topology, type Topology } from '@paystream/runtime';
import {
  Cleanup,
  createRunTopics,
  Customers,
  chargeCommand,
  defaultDetails,
  deleteRunTopics,
  freePort,
  publishedKeyOf,
  ResultCollector,
  startRunSimulator,
  Upstream,
  type RunningSimulator,
} from '@paystream/test-harness';

/** The harness's own clients stay quiet: the worker's output is what a failure shows. */
const quietKafka = (brokers: readonly string[], clientId: string): Kafka =>
  new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING });

export interface ArtifactRunOptions {
  /** The extracted `paystream-<version>/` folder. */
  readonly home: string;
  /** The worker's whole environment (no Node.js on its PATH); the run adds its state folder and log level. */
  readonly env: Readonly<Record<string, string>>;
  readonly brokers: readonly string[];
  readonly methods: readonly string[];
}

export interface ArtifactRun {
  readonly names: Topology;
  readonly simulator: RunningSimulator;
  readonly results: ResultCollector;
  readonly upstream: Upstream;
  readonly customers: Customers;
  readonly worker: ChildProcess;
  readonly exit: Promise<number | null>;
  readonly opsUrl: string;
  /** A charge of `method` with what that method needs (a fresh card token, a bank, a store, a provider). */
  charge(method: string, orderId: string): Promise<PaymentCommand>;
  /** The worker's stderr so far: what a failure shows. */
  stderr(): string;
  close(): Promise<void>;
}

/** Polls /readyz until it answers 200; fails at once if the worker exits first. */
async function waitReady(opsUrl: string, worker: ChildProcess, stderr: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (worker.exitCode !== null || worker.signalCode !== null)
      throw new Error(`the artifact's worker exited before it was ready: ${stderr()}`);
    const status = await fetch(`${opsUrl}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(200);
  }
  throw new Error(`the artifact's worker was not ready within ${String(timeoutMs)} ms: ${stderr()}`);
}

interface WorkerStart {
  readonly dir: string;
  readonly descriptorPath: string;
  readonly names: Topology;
  readonly ingressPort: number;
  readonly opsPort: number;
}

function startWorker(opts: ArtifactRunOptions, start: WorkerStart): { worker: ChildProcess; stderrFile: string } {
  const stderrFile = join(start.dir, 'worker.stderr.log');
  const out = openSync(join(start.dir, 'worker.stdout.log'), 'a');
  const err = openSync(stderrFile, 'a');
  try {
    const args = ['worker', '--simulator', start.descriptorPath, '--brokers', opts.brokers.join(','), '--topic-prefix', start.names.prefix];
    const ports = ['--ingress-port', String(start.ingressPort), '--ops-port', String(start.opsPort), '--plugins', opts.methods.join(',')];
    // The reconciler waits long: each succeeded must come from the simulator's notification to the ingress.
    const env = {
      ...opts.env,
      PAYSTREAM_STATE_DIR: join(start.dir, 'state'),
      PAYSTREAM_LOG_LEVEL: 'info',
      PAYSTREAM_RECONCILE_FIRST_MS: '600000',
    };
    const worker = spawn(join(opts.home, 'bin/paystream'), [...args, ...ports], { cwd: start.dir, env, stdio: ['ignore', out, err] });
    return { worker, stderrFile };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

export async function startArtifactRun(opts: ArtifactRunOptions): Promise<ArtifactRun> {
  const cleanup = new Cleanup();
  const dir = mkdtempSync(join(tmpdir(), 'paystream-release-run-'));
  cleanup.add('remove the run folder', () => rmSync(dir, { recursive: true, force: true }));
  try {
    const names = topology(`release-smoke.${Date.now().toString(36)}.${randomBytes(3).toString('hex')}.`);
    const admin = quietKafka(opts.brokers, 'release-smoke-admin').admin();
    await admin.connect();
    cleanup.add('disconnect the admin client', () => admin.disconnect());
    cleanup.add('delete the run topics', () => deleteRunTopics(admin, names.prefix));
    await createRunTopics(admin, names, opts.methods);
    const simulator = await startRunSimulator(dir, 600);
    cleanup.add('stop the simulator', () => simulator.close());
    const [ingressPort, opsPort] = [await freePort(), await freePort()];
    const ingress = `http://127.0.0.1:${String(ingressPort)}`;
    await simulator.admin.webhooks({ snapBaseUrl: ingress, coreNotificationUrl: `${ingress}${CORE_NOTIFICATION_PATH}` });
    const { worker, stderrFile } = startWorker(opts, { dir, descriptorPath: simulator.descriptorPath, names, ingressPort, opsPort });
    const exit = new Promise<number | null>((done) => worker.once('exit', (code) => done(code)));
    cleanup.add('stop the worker', () => (worker.exitCode === null && worker.signalCode === null ? worker.kill('SIGKILL') : undefined));
    const stderr = (): string => readFileSync(stderrFile, 'utf8').slice(-3000);
    const opsUrl = `http://127.0.0.1:${String(opsPort)}`;
    await waitReady(opsUrl, worker, stderr);
    const publicKey = publishedKeyOf(join(dir, 'worker-keys', 'event-signing.pem'));
    const results = await ResultCollector.start(quietKafka(opts.brokers, 'release-smoke-downstream'), names, opts.methods, [publicKey]);
    cleanup.add('stop the result collector', () => results.stop());
    const upstream = await Upstream.connect(quietKafka(opts.brokers, 'release-smoke-upstream'), names);
    cleanup.add('disconnect the upstream publisher', () => upstream.disconnect());
    const { sim, http, admin: simAdmin } = simulator;
    const customers = new Customers({ baseUrl: sim.baseUrl, clientKey: sim.credentials.clientKey, http, admin: simAdmin });
    return {
      ...{ names, simulator, results, upstream, customers, worker, exit, opsUrl, stderr },
      charge: async (method, orderId) => chargeCommand({ method, orderId, details: await defaultDetails(method, customers) }),
      close: () => cleanup.run(),
    };
  } catch (err) {
    await cleanup.run().catch(() => undefined);
    throw err;
  }
}
