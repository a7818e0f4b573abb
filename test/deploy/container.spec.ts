// The worker image as a deployment runs it: built from this checkout's release artifact on a base
// made here, started under Podman with a read-only root filesystem as a non-root user against the
// test broker and the Midtrans simulator (whose descriptor and keys are mounted read-only), settling
// GoPay charges end to end, answering its health check, reloading keys on SIGHUP and draining on
// SIGTERM to exit 0.
import { chownSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import { CORE_NOTIFICATION_PATH } from '@paystream/runtime';
import { Cleanup, freePort, startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildWorkerImage, type BuiltImage } from './container/image.ts';
import { ensurePodman, podman } from './container/podman.ts';
import { WorkerContainer } from './container/worker-container.ts';

/** The image's USER (infra/container/Containerfile). */
const IMAGE_UID = 10001;
const HEALTHCHECK = '/usr/local/lib/paystream/healthcheck.mjs';
const DEBIT_PATH = '/v1.0/debit/payment-host-to-host';
const cleanup = new Cleanup();
let image: BuiltImage;
let system: PaystreamSystem;
let container: WorkerContainer;
let opsUrl: string;

/** Key files are owner-only, as the worker demands: inside, they must belong to the image's user. */
function handToImageUser(dir: string): void {
  chownSync(dir, IMAGE_UID, IMAGE_UID);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    chownSync(join(entry.parentPath, entry.name), IMAGE_UID, IMAGE_UID);
}

async function startWorkerContainer(): Promise<void> {
  const [ingressPort, opsPort] = [await freePort(), await freePort()];
  const ingress = `http://127.0.0.1:${String(ingressPort)}`;
  await system.simulator.admin.webhooks({ snapBaseUrl: ingress, coreNotificationUrl: `${ingress}${CORE_NOTIFICATION_PATH}` });
  opsUrl = `http://127.0.0.1:${String(opsPort)}`;
  container = new WorkerContainer();
  cleanup.add('remove the worker container', () => container.remove());
  await container.run({
    image: image.name,
    readOnlyMounts: [system.dir],
    env: {
      PAYSTREAM_CONFIG_FILE: join(system.dir, 'worker-config.json'),
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      PAYSTREAM_TOPIC_PREFIX: system.names.prefix,
      PAYSTREAM_PLUGINS: 'gopay',
      PAYSTREAM_INGRESS_PORT: String(ingressPort),
      PAYSTREAM_OPS_HOST: '127.0.0.1',
      PAYSTREAM_OPS_PORT: String(opsPort),
      PAYSTREAM_RECONCILE_FIRST_MS: '500',
      PAYSTREAM_RECONCILE_MAX_MS: '2000',
    },
  });
  await container.waitReady(opsUrl);
}

beforeAll(async () => {
  await ensurePodman();
  image = await buildWorkerImage();
  const bytes = Number(await podman(['image', 'inspect', '--format', '{{.Size}}', image.name]));
  console.log(
    `${image.name}: ${(bytes / 1e6).toFixed(0)} MB; artifact ${image.artifactSeconds.toFixed(1)} s, image ${image.imageSeconds.toFixed(1)} s`,
  );
  system = await startSystem({ name: 'container', brokers: inject('kafkaBrokers'), workers: 0, plugins: ['gopay'], configure: (c) => c });
  cleanup.add('stop the run', () => system.close());
  handToImageUser(system.dir);
  await startWorkerContainer();
});
afterAll(() => cleanup.run());

/** The event types each order has had so far, for a failure message. */
function eventsOf(orders: readonly string[]): string {
  const typesOf = (o: string) => system.results.forOrder(o).map((c) => c.event.type);
  return orders.map((o) => `${o}: ${typesOf(o).join(',') || 'none'}`).join('; ');
}

async function settle(orders: readonly string[]): Promise<void> {
  await system.upstream.send(await Promise.all(orders.map((orderId) => system.charge({ method: 'gopay', orderId }))));
  await system.payWhenAsked(orders, { timeoutMs: 60_000 });
  const succeeded = () => orders.every((o) => system.results.paymentEvent(o, 'paystream.payment.succeeded'));
  await until(succeeded, () => `not every order succeeded: ${eventsOf(orders)}`, { timeoutMs: 60_000 });
}

describe('the worker image', () => {
  it('settles GoPay charges end to end, each charged once, every event verified', async () => {
    const orders = [1, 2, 3].map((n) => `container-${String(n)}-${Date.now().toString(36)}`);
    await settle(orders);
    expect(system.results.problems).toEqual([]);
    expect(system.ledger().problems).toEqual([]);
  });

  it('runs as a non-root user on a read-only root filesystem, writing only its state volume', async () => {
    expect(await container.inspect('{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}')).toBe(
      `${String(IMAGE_UID)}:${String(IMAGE_UID)} true`,
    );
    const probe = [
      "const fs = require('node:fs');",
      "const uid = (pid) => fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\\s+(\\d+)/m)[1];",
      "const write = (file) => { try { fs.writeFileSync(file, 'x'); fs.rmSync(file); return 'ok'; } catch (e) { return e.code; } };",
      "const init = fs.readFileSync('/proc/1/cmdline', 'utf8').split('\\0')[0];",
      "console.log(JSON.stringify({ init, pid1: uid(1), self: uid('self'), root: write('/probe'), app: write('/opt/paystream/probe'), state: write('/var/lib/paystream/probe'), tmp: write('/tmp/probe') }));",
    ].join('\n');
    const ran = await container.exec(['/opt/paystream/node/bin/node', '-e', probe]);
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual({
      init: '/usr/local/bin/tini',
      pid1: '10001',
      self: '10001',
      root: 'EROFS',
      app: 'EROFS',
      state: 'ok',
      tmp: 'ok',
    });
  });

  it("answers the image's HEALTHCHECK, run by the bundled node against /healthz, and fails it without one", async () => {
    expect(await container.inspect('{{json .Config.Healthcheck.Test}}')).toContain(HEALTHCHECK);
    const check = await container.healthcheck();
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(await container.inspect('{{.State.Health.Status}}')).toBe('healthy');
    // The same check pointed at a port nothing listens on: it must fail, not pass by default.
    const elsewhere = await container.exec(['/opt/paystream/node/bin/node', HEALTHCHECK], { PAYSTREAM_OPS_PORT: String(await freePort()) });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('ECONNREFUSED');
  });

  it('reloads its key material on SIGHUP, passed on by tini, and keeps working', async () => {
    await container.signal('SIGHUP');
    const reloaded = async () => (await container.logs()).includes('key material reloaded');
    await until(reloaded, () => 'no "key material reloaded" in the logs', { timeoutMs: 15_000 });
    expect(await container.running()).toBe(true);
    await settle([`container-after-hup-${Date.now().toString(36)}`]);
  });

  it('drains the charge in flight on SIGTERM, then exits 0', async () => {
    // Midtrans answers this charge late, so SIGTERM arrives while the worker waits for it.
    await system.simulator.admin.addFault({ kind: 'latency', path: DEBIT_PATH, count: 1, latencyMs: 3_000 });
    const order = `container-drain-${Date.now().toString(36)}`;
    await system.upstream.send([await system.charge({ method: 'gopay', orderId: order })]);
    const fault = () => system.simulator.sim.faults.list().find((f) => f.kind === 'latency');
    await until(
      () => (fault()?.hits ?? 0) > 0,
      () => 'the charge never reached the simulator',
      { timeoutMs: 30_000 },
    );
    await container.signal('SIGTERM');
    expect(await container.exitCode(60_000)).toBe(0);
    expect(await container.logs()).toContain('worker stopped');
    await until(
      () => system.results.paymentEvent(order, 'paystream.payment.action_required'),
      () => 'the charge in flight at SIGTERM has no result',
      { timeoutMs: 15_000 },
    );
  });
});
