// One `paystream worker` container as a deployment runs it: read-only root filesystem, no
// capabilities, no privilege escalation, the host's network (the test broker and simulator listen on
// loopback), the run's configuration and keys mounted read-only at the paths the configuration names.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { podman, podmanRan, type Ran } from './podman.ts';

export interface ContainerOptions {
  readonly image: string;
  /** Host folders mounted read-only at the same path inside. */
  readonly readOnlyMounts: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
}

export class WorkerContainer {
  readonly name: string;

  /** A name for the container, so that its removal can be arranged before it is started. */
  constructor() {
    this.name = `paystream-test-${randomBytes(4).toString('hex')}`;
  }

  async run(opts: ContainerOptions): Promise<void> {
    const mounts = opts.readOnlyMounts.flatMap((dir) => ['--volume', `${dir}:${dir}:ro`]);
    const env = Object.entries(opts.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    // No periodic health checks: Podman schedules them with systemd timers, and there is no systemd
    // here; `podman healthcheck run` still runs the image's check on demand.
    const flags = ['--detach', '--name', this.name, '--network', 'host', '--read-only', '--cap-drop', 'all'];
    const hardening = ['--security-opt', 'no-new-privileges', '--health-interval', 'disable'];
    await podman(['run', ...flags, ...hardening, ...mounts, ...env, opts.image, ...(opts.args ?? ['worker'])]);
  }

  inspect(format: string): Promise<string> {
    return podman(['inspect', '--format', format, this.name]);
  }

  async running(): Promise<boolean> {
    return (await this.inspect('{{.State.Running}}')) === 'true';
  }

  /** A program run inside the container, as the image's user; its status whatever it is. */
  exec(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Ran> {
    return podmanRan(['exec', ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]), this.name, ...args]);
  }

  async logs(): Promise<string> {
    const ran = await podmanRan(['logs', this.name]);
    return `${ran.stdout}${ran.stderr}`;
  }

  healthcheck(): Promise<Ran> {
    return podmanRan(['healthcheck', 'run', this.name]);
  }

  async signal(signal: 'SIGTERM' | 'SIGHUP'): Promise<void> {
    await podman(['kill', '--signal', signal, this.name]);
  }

  /** The exit status, once the container has stopped. */
  async exitCode(timeoutMs: number): Promise<number> {
    return Number(await podman(['wait', this.name], timeoutMs));
  }

  /** Polls the operations server's /readyz until it answers 200; fails at once if the container stops. */
  async waitReady(opsUrl: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.running())) throw new Error(`the container stopped before it was ready:\n${await this.logs()}`);
      const status = await fetch(`${opsUrl}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      await sleep(250);
    }
    throw new Error(`the container was not ready within ${String(timeoutMs)} ms:\n${await this.logs()}`);
  }

  /** Removes the container and its anonymous state volume, running, stopped or never created. */
  async remove(): Promise<void> {
    await podman(['rm', '--force', '--ignore', '--volumes', this.name], 60_000);
  }
}
