// The Kubernetes manifests of infra/k8s as `kubectl kustomize` renders the production overlay,
// offline: each setting is held to the worker it deploys — its configuration parser, its operations
// server, its metrics, its measured memory and how it reads keys — and the PrometheusRule to the
// project's alert rules.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRevocationList } from '../../packages/core/src/keys/revocation.ts';
import { startOperations, WorkerMetrics } from '../../packages/runtime/src/ops/operations.ts';
import { bytes, one, render, selects, type Resource, type ServiceSpec, type WorkloadSpec } from './k8s/manifests.ts';
import { measuredPeakMiB } from './k8s/measured-memory.ts';
import { mountedFile, privateFiles, publicFiles } from './k8s/pod-files.ts';
import { defaultDrainTimeoutMs, deployedSettings } from './k8s/worker-settings.ts';
import { RENDER_COMMAND, RULE_RESOURCE, RULES_FILE, renderPrometheusRule, ruleGroupsOf } from '../../infra/k8s/render-rules.ts';

/** After the drain: publish, commit, leave every consumer group and close the index. */
const SHUTDOWN_MARGIN_MS = 15_000;
const releaseVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const LOOPBACK = /^(?:127\.|localhost$|::1$)/;

const resources = render('overlays/production');
const workload = one(resources, 'StatefulSet', 'paystream').spec as WorkloadSpec;
const pod = workload.template.spec;
const container = pod.containers.find((c) => c.name === 'worker')!;
const settings = deployedSettings(resources, pod, container);
const { config } = settings;
const portNamed = (name: string) => container.ports?.find((p) => p.name === name)?.containerPort;

describe('the production overlay', () => {
  it('renders every resource into the namespace paystream', () => {
    const kinds = resources.map((r) => r.kind);
    for (const kind of ['StatefulSet', 'Service', 'PodDisruptionBudget', 'ConfigMap', 'ServiceMonitor', 'PrometheusRule', 'ScaledObject'])
      expect(kinds, kind).toContain(kind);
    for (const r of resources.filter((r) => r.kind !== 'Namespace'))
      expect(r.metadata.namespace, `${r.kind} ${r.metadata.name}`).toBe('paystream');
    // The image the release of this commit makes (infra/container/build-image.sh tags it with the version).
    expect(container.image).toBe(`paystream:${releaseVersion}`);
  });

  it("holds a configuration the worker's own parser accepts, and the parser is the one refusing bad ones", () => {
    expect(settings.path).toBe('/etc/paystream/config/worker.json');
    expect(config.core?.merchants['default']).toBeDefined();
    const broken = resources.map((r): Resource => {
      if (r.kind !== 'ConfigMap' || r.data?.['worker.json'] === undefined) return r;
      return { ...r, data: { 'worker.json': JSON.stringify({ ...JSON.parse(settings.file), drainTimeoutMs: -1 }) } };
    });
    expect(() => deployedSettings(broken, pod, container)).toThrow(/drainTimeoutMs/);
  });

  it('exposes the notification ingress, over TLS, on the port the worker listens on', () => {
    const service = one(resources, 'Service', 'paystream-notifications').spec as ServiceSpec;
    expect(selects(service.selector ?? {}, workload.template.metadata.labels)).toBe(true);
    expect(service.ports.map((p) => p.targetPort)).toEqual(['ingress']);
    expect(portNamed('ingress')).toBe(config.ingress.port);
    expect(config.ingress.host).not.toMatch(LOOPBACK);
    expect(config.ingress.tlsCertFile && config.ingress.tlsKeyFile).toBeTruthy();
  });
});

describe("the production overlay against the worker's operations server", () => {
  let ops: Awaited<ReturnType<typeof startOperations>>;
  beforeAll(async () => {
    ops = await startOperations(new WorkerMetrics(), () => [], { port: 0 });
  });
  afterAll(() => ops.close());

  it('probes /healthz and /readyz on the port the worker serves them on', async () => {
    const probes = { startup: container.startupProbe, liveness: container.livenessProbe, readiness: container.readinessProbe };
    expect(probes.liveness?.httpGet?.path).toBe('/healthz');
    expect(probes.readiness?.httpGet?.path).toBe('/readyz');
    for (const [kind, probe] of Object.entries(probes)) {
      expect(probe?.httpGet?.port, kind).toBe('ops');
      expect((await fetch(`${ops.url}${probe?.httpGet?.path ?? ''}`)).status, kind).toBe(200);
    }
    expect(portNamed('ops')).toBe(config.operations.port);
    expect(config.operations.host).not.toMatch(LOOPBACK);
    expect((await fetch(`${ops.url}/nowhere`)).status).toBe(404);
  });

  it('lets the ServiceMonitor scrape the metrics port of the ops Service', async () => {
    const monitor = one(resources, 'ServiceMonitor').spec as {
      selector: { matchLabels: Record<string, string> };
      endpoints: { port: string; path: string }[];
    };
    const scraped = resources.filter((r) => r.kind === 'Service' && selects(monitor.selector.matchLabels, r.metadata.labels));
    expect(scraped.map((s) => s.metadata.name)).toEqual(['paystream-ops']);
    const service = scraped[0]!.spec as ServiceSpec;
    expect(selects(service.selector ?? {}, workload.template.metadata.labels)).toBe(true);
    for (const endpoint of monitor.endpoints) {
      const port = service.ports.find((p) => p.name === endpoint.port);
      expect(port?.targetPort).toBe('ops');
      expect(await (await fetch(`${ops.url}${endpoint.path}`)).text()).toContain('paystream_consumer_lag');
    }
  });
});

describe('the production pod', () => {
  it('requests the memory the worker was measured to use, and bounds it', () => {
    const { requests = {}, limits = {} } = container.resources ?? {};
    const peak = measuredPeakMiB() * 2 ** 20;
    expect(bytes(requests['memory'] ?? '0')).toBeGreaterThanOrEqual(peak);
    expect(bytes(limits['memory'] ?? '0')).toBeGreaterThanOrEqual(2 * peak);
    expect(requests['cpu']).toBeDefined();
  });

  it('runs the worker unprivileged on a read-only root filesystem', () => {
    const podContext = pod.securityContext ?? {};
    const context = container.securityContext ?? {};
    expect(podContext.runAsNonRoot).toBe(true);
    expect(context.runAsNonRoot ?? podContext.runAsNonRoot).toBe(true);
    expect(context.runAsUser ?? podContext.runAsUser).toBeGreaterThan(0);
    expect(context.readOnlyRootFilesystem).toBe(true);
    expect(context.allowPrivilegeEscalation).toBe(false);
    expect(context.privileged ?? false).toBe(false);
    expect(context.capabilities?.drop).toContain('ALL');
    expect(context.capabilities?.add ?? []).toEqual([]);
    expect((context.seccompProfile ?? podContext.seccompProfile)?.type).toBe('RuntimeDefault');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('gives a stopping worker longer than its drain', () => {
    expect(config.drainTimeoutMs).toBeGreaterThanOrEqual(defaultDrainTimeoutMs());
    expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(config.drainTimeoutMs + SHUTDOWN_MARGIN_MS);
  });
});

describe("the production pod's files", () => {
  it('gives keys and secrets to the worker only as files of Secret volumes', () => {
    for (const v of container.env ?? []) expect(v.valueFrom?.secretKeyRef, v.name).toBeUndefined();
    for (const from of container.envFrom ?? []) expect(from.secretRef).toBeUndefined();
    const files = privateFiles(config);
    expect(files.map((f) => f.field)).toEqual(expect.arrayContaining(['core.merchants.default.privateKeyFile', 'ingress.tlsKeyFile']));
    for (const { field, path } of files) {
      expect(path, field).not.toMatch(/^env:/);
      const file = mountedFile(pod, container, path);
      expect(file?.volume.secret, `${field}: ${path} is no file of a Secret volume`).toBeDefined();
      expect(file?.mount.readOnly, field).toBe(true);
      // Never writable, never readable by others; kubelet makes it readable by the pod's fsGroup.
      expect((file?.volume.secret?.defaultMode ?? 0o644) & 0o037, field).toBe(0);
    }
    // The worker refuses group-readable key files unless told the pod's group is its own.
    if (pod.securityContext?.fsGroup !== undefined) expect(config.allowInsecureKeyFilePermissions).toBe(true);
  });

  it('mounts every other file the configuration names', () => {
    for (const { field, path } of publicFiles(config)) {
      const file = mountedFile(pod, container, path);
      expect(file, `${field}: nothing is mounted at ${path}`).toBeDefined();
      const configMap = file?.volume.configMap;
      if (configMap) expect(Object.keys(one(resources, 'ConfigMap', configMap.name).data ?? {}), field).toContain(file.key);
    }
  });

  it('ships a revocation list core reads', () => {
    const path = config.core?.revocationListFile ?? '';
    const file = mountedFile(pod, container, path);
    const text = one(resources, 'ConfigMap', file?.volume.configMap?.name).data?.[file?.key ?? ''];
    expect(text, path).toBeDefined();
    expect(parseRevocationList(text ?? '', 'core.revocationListFile')).toEqual([]);
    expect(() => parseRevocationList(`${text ?? ''}not-a-fingerprint\n`, 'core.revocationListFile')).toThrow();
  });

  it('keeps the order state on a persistent volume of its own and /tmp writable', () => {
    const claims = (workload.volumeClaimTemplates ?? []).map((c) => c.metadata.name);
    const writable = (path: string) =>
      container.volumeMounts?.find((m) => (path === m.mountPath || path.startsWith(`${m.mountPath}/`)) && m.readOnly !== true);
    expect(claims).toContain(writable(config.stateDir ?? '')?.name);
    expect(pod.volumes?.find((v) => v.name === writable('/tmp')?.name)?.emptyDir).toBeDefined();
  });
});

describe('the production fleet', () => {
  it('runs three workers over the partitions, spread, and lets one go at a time', () => {
    expect(workload.replicas).toBe(3);
    expect(config.kafka.partitions % 3).toBe(0);
    const budget = one(resources, 'PodDisruptionBudget').spec as {
      maxUnavailable?: number;
      selector: { matchLabels: Record<string, string> };
    };
    expect(selects(budget.selector.matchLabels, workload.template.metadata.labels)).toBe(true);
    expect(budget.maxUnavailable).toBe(1);
    const spread = (pod as { topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string }[] }).topologySpreadConstraints;
    expect(spread).toContainEqual(expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }));
  });

  it('scales on the consumer lag the workers export, never past the partitions', () => {
    const scaled = one(resources, 'ScaledObject').spec as {
      scaleTargetRef: { kind: string; name: string };
      minReplicaCount: number;
      maxReplicaCount: number;
      triggers: { type: string; metadata: { query: string } }[];
    };
    expect(scaled.scaleTargetRef).toMatchObject({ kind: 'StatefulSet', name: 'paystream' });
    expect(scaled.minReplicaCount).toBe(workload.replicas);
    expect(scaled.maxReplicaCount).toBeLessThanOrEqual(config.kafka.partitions);
    const metrics = new WorkerMetrics().registry;
    for (const name of scaled.triggers[0]?.metadata.query.match(/paystream_\w+/g) ?? ['(no query)'])
      expect(metrics.getSingleMetric(name), name).toBeDefined();
  });
});

describe('the alert rules', () => {
  it('wraps infra/observability/alerts.yaml unchanged into the PrometheusRule', () => {
    const expected = renderPrometheusRule(readFileSync(RULES_FILE, 'utf8'));
    const message = `infra/k8s/base/prometheus-rule.yaml is out of date with infra/observability/alerts.yaml: run ${RENDER_COMMAND}`;
    expect(readFileSync(RULE_RESOURCE, 'utf8') === expected, message).toBe(true);
    const rule = one(resources, 'PrometheusRule').spec as { groups: unknown };
    expect(rule.groups).toEqual(ruleGroupsOf(readFileSync(RULES_FILE, 'utf8'), 'alerts.yaml'));
  });

  it('refuses to wrap a file that is not a rules file', () => {
    expect(() => renderPrometheusRule('groups: []', 'empty.yaml')).toThrow(/empty\.yaml: not a Prometheus rules file/);
    expect(() => renderPrometheusRule('groups: [{ name: g, rules: [{ alert: A }] }]', 'x.yaml')).toThrow(/rules\[0\] needs/);
  });
});

describe('the base', () => {
  it('renders on its own, holding the configuration the overlay deploys', () => {
    const configs = render('base').filter((r) => r.kind === 'ConfigMap' && r.data?.['worker.json'] !== undefined);
    expect(configs.map((c) => c.data?.['worker.json'])).toEqual([settings.file]);
  });
});
