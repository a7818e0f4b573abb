// The configuration a deployed worker runs with, resolved by the worker's own loader: the file the
// ConfigMap mounts, under the image's environment and then the pod's (each overriding the one
// before, as the container runtime layers them).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { coreConfigOf, loadWorkerConfig, WorkerConfig } from '../../../packages/worker/src/config/worker-config.ts';
import { one, root, type Container, type PodSpec, type Resource } from './manifests.ts';

export { WorkerConfig };

/** The variables the image sets (`ENV` of infra/container/Containerfile), when the image is defined here. */
export function imageEnvironment(containerfile = join(root, 'infra/container/Containerfile')): Record<string, string> {
  if (!existsSync(containerfile)) return {};
  const instructions = readFileSync(containerfile, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .filter((line) => /^ENV\s/.test(line));
  const env: Record<string, string> = {};
  for (const line of instructions) for (const m of line.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) env[m[1]!] = m[2]!;
  return env;
}

/** The container's literal variables (those read from Secrets or ConfigMaps are left out). */
export function podEnvironment(container: Container): Record<string, string> {
  return Object.fromEntries((container.env ?? []).flatMap((v) => (v.value === undefined ? [] : [[v.name, v.value]])));
}

export interface DeployedSettings {
  readonly config: Readonly<WorkerConfig>;
  /** The file's text as the ConfigMap holds it. */
  readonly file: string;
  /** Where the container reads it. */
  readonly path: string;
}

/** The ConfigMap and key that the volume mounted at `path`'s folder puts at `path`. */
function configMapFileAt(resources: readonly Resource[], pod: PodSpec, container: Container, path: string): string {
  const mount = container.volumeMounts?.find((m) => m.mountPath === dirname(path));
  const volume = pod.volumes?.find((v) => v.name === mount?.name)?.configMap;
  if (!volume) throw new Error(`${path}: no ConfigMap volume is mounted at ${dirname(path)}`);
  const key = volume.items?.find((i) => i.path === basename(path))?.key ?? basename(path);
  const text = one(resources, 'ConfigMap', volume.name).data?.[key];
  if (text === undefined) throw new Error(`${path}: ConfigMap ${volume.name} holds no ${key}`);
  return text;
}

/**
 * Loads the worker's configuration as the container would: loadWorkerConfig (the worker's zod schema
 * and layering) and core's own parser for the Midtrans section. Throws the worker's ConfigError.
 */
export function deployedSettings(resources: readonly Resource[], pod: PodSpec, container: Container): DeployedSettings {
  const env = { ...imageEnvironment(), ...podEnvironment(container) };
  const path = env['PAYSTREAM_CONFIG_FILE'];
  if (path === undefined) throw new Error('the container names no configuration file (PAYSTREAM_CONFIG_FILE)');
  const file = configMapFileAt(resources, pod, container, path);
  const dir = mkdtempSync(join(tmpdir(), 'paystream-k8s-'));
  try {
    const copy = join(dir, basename(path));
    writeFileSync(copy, file);
    const { config } = loadWorkerConfig({ file: copy, env: { ...env, PAYSTREAM_CONFIG_FILE: copy } });
    coreConfigOf(config);
    return { config, file, path };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** drainTimeoutMs when the configuration leaves it out: the schema's default. */
export function defaultDrainTimeoutMs(): number {
  return WorkerConfig.parse({}).drainTimeoutMs;
}
