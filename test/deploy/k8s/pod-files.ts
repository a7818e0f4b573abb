// Which files a worker's configuration names, split into private material (keys, secrets,
// passwords) and the rest, and which volume of the pod puts each one where the worker reads it.
import { dirname, relative } from 'node:path';
import type { Container, PodSpec, Volume, VolumeMount } from './manifests.ts';
import type { WorkerConfig } from './worker-settings.ts';

export interface NamedFile {
  /** The configuration field, as the worker's errors name it. */
  readonly field: string;
  readonly path: string;
}

const named = (field: string, path: string | undefined): NamedFile[] => (path === undefined ? [] : [{ field, path }]);
const list = (field: string, paths: readonly string[] | undefined): NamedFile[] =>
  (paths ?? []).map((path, i) => ({ field: `${field}[${i}]`, path }));

/** Files holding private material: the worker refuses them unless owner-only (or allowed otherwise). */
export function privateFiles(config: Readonly<WorkerConfig>): NamedFile[] {
  const core = config.core;
  const merchants = Object.entries(core?.merchants ?? {}).flatMap(([name, m]) => [
    ...named(`core.merchants.${name}.privateKeyFile`, m.privateKeyFile),
    ...named(`core.merchants.${name}.clientSecretFile`, m.clientSecretFile),
    ...named(`core.merchants.${name}.serverKeyFile`, m.serverKeyFile),
  ]);
  return [
    ...merchants,
    ...list('core.events.signingKeyFiles', core?.events.signingKeyFiles),
    ...list('core.events.encryptionKeyFiles', core?.events.encryptionKeyFiles),
    ...named('core.tls.clientKeyFile', core?.tls.clientKeyFile),
    ...named('ingress.tlsKeyFile', config.ingress.tlsKeyFile),
    ...named('kafka.tls.clientKeyFile', config.kafka.tls?.clientKeyFile),
    ...named('kafka.sasl.passwordFile', config.kafka.sasl?.passwordFile),
    ...named('kafka.sasl.oauth.clientSecretFile', config.kafka.sasl?.oauth?.clientSecretFile),
  ];
}

/** Public keys, certificates and revocation lists: read at start, and must be there too. */
export function publicFiles(config: Readonly<WorkerConfig>): NamedFile[] {
  const core = config.core;
  return [
    ...list('core.midtransPublicKeyFiles', core?.midtransPublicKeyFiles),
    ...named('core.revocationListFile', core?.revocationListFile),
    ...list('core.tls.caFiles', core?.tls.caFiles),
    ...named('core.tls.clientCertFile', core?.tls.clientCertFile),
    ...named('ingress.tlsCertFile', config.ingress.tlsCertFile),
    ...list('kafka.tls.caFiles', config.kafka.tls?.caFiles),
    ...named('kafka.tls.clientCertFile', config.kafka.tls?.clientCertFile),
    ...config.commands.auth.upstreams.flatMap((u, i) => list(`commands.auth.upstreams[${i}].publicKeyFiles`, u.publicKeyFiles)),
    ...named('commands.auth.revocationListFile', config.commands.auth.revocationListFile),
  ];
}

export interface MountedFile {
  readonly mount: VolumeMount;
  readonly volume: Volume;
  /** The Secret's or ConfigMap's key that becomes the file. */
  readonly key: string;
}

/**
 * The volume file at `path` in the container: a mount of its folder (no subPath, so kubelet keeps
 * the file up to date) whose volume lists the file among its items.
 */
export function mountedFile(pod: PodSpec, container: Container, path: string): MountedFile | undefined {
  for (const mount of container.volumeMounts ?? []) {
    if (mount.subPath !== undefined || mount.mountPath !== dirname(path)) continue;
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    const items = volume?.secret?.items ?? volume?.configMap?.items;
    const name = relative(mount.mountPath, path);
    const key = items === undefined ? name : items.find((i) => i.path === name)?.key;
    if (volume && key !== undefined) return { mount, volume, key };
  }
  return undefined;
}
