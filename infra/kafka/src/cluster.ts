// A three-node KRaft cluster on loopback (docs/kafka.md, "The three-broker cluster"): each node is a
// broker instance of broker.ts with a home of its own (<home>/node-<id>) and the cluster's settings, so
// the jars, formatting, pid checks and readiness are those of every other broker of the checkout.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, PartitionMetadata } from 'kafkajs';
import {
  BrokerError,
  isOurBroker,
  readPid,
  repoRoot,
  resolveJars,
  start,
  status,
  stop,
  type BrokerOptions,
  type BrokerStatus,
} from './broker.ts';
import { clusterProperties, type ClusterNode } from './cluster-properties.ts';

export type { ClusterNode } from './cluster-properties.ts';

/** Voters of the KRaft quorum; each node is broker and controller. */
export const CLUSTER_NODES = 3;

export interface ClusterOptions {
  /** Holds the cluster id and one broker home per node. */
  readonly home: string;
  /** Node n listens on port + 2(n − 1) and its controller on the port after: port .. port + 5 in all. */
  readonly port: number;
  /** How long each node may take to answer metadata requests. */
  readonly readyTimeoutMs?: number;
}

/** `npm run kafka:* -- --brokers 3`: KAFKA_HOME (./.local/kafka-cluster) and KAFKA_PORT (9292, so 9292–9297). */
export function clusterOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterOptions {
  const port = Number(env['KAFKA_PORT'] ?? 9292);
  const last = 65535 - (2 * CLUSTER_NODES - 1);
  if (!Number.isInteger(port) || port < 1 || port > last) {
    throw new BrokerError(`KAFKA_PORT must be an integer between 1 and ${String(last)}, got "${env['KAFKA_PORT'] ?? ''}"`);
  }
  return { home: resolve(env['KAFKA_HOME'] ?? join(repoRoot, '.local/kafka-cluster')), port };
}

export function clusterNodes(opts: ClusterOptions): ClusterNode[] {
  return Array.from({ length: CLUSTER_NODES }, (_, i) => {
    const port = opts.port + 2 * i;
    return {
      id: i + 1,
      port,
      controllerPort: port + 1,
      home: join(opts.home, `node-${String(i + 1)}`),
      broker: `127.0.0.1:${String(port)}`,
    };
  });
}

function node(opts: ClusterOptions, id: number): ClusterNode {
  const found = clusterNodes(opts).find((n) => n.id === id);
  if (!found) throw new BrokerError(`The cluster has nodes 1 to ${String(CLUSTER_NODES)}; there is no node ${String(id)}.`);
  return found;
}

function nodeOptions(opts: ClusterOptions, n: ClusterNode): BrokerOptions {
  const all = clusterNodes(opts);
  return {
    home: n.home,
    port: n.port,
    readyTimeoutMs: opts.readyTimeoutMs ?? 120_000,
    properties: (dataDir) => clusterProperties(dataDir, n, all),
  };
}

/** Every node is formatted with the one cluster id, kept in the cluster's home and copied into each node's. */
function shareClusterId(opts: ClusterOptions): void {
  const file = join(opts.home, 'cluster-id');
  mkdirSync(opts.home, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, clusterId());
  const id = readFileSync(file, 'utf8').trim();
  for (const n of clusterNodes(opts)) {
    mkdirSync(n.home, { recursive: true });
    writeFileSync(join(n.home, 'cluster-id'), id);
  }
}

/** 16 random bytes in base64url, not starting with '-' (StorageTool's rule). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Starts every node that is not running, together: a node serves clients only once the quorum has a
 * leader, which takes two voters, so they cannot be started one after the other. Resolves once each
 * answers a metadata request; false when all were already running.
 */
export async function startCluster(opts: ClusterOptions): Promise<boolean> {
  resolveJars(opts.home);
  shareClusterId(opts);
  const started = await Promise.all(clusterNodes(opts).map((n) => start(nodeOptions(opts, n))));
  return started.some(Boolean);
}

/** SIGTERM to every node at once (a controlled shutdown while the quorum still stands); the data stays. */
export async function stopCluster(opts: ClusterOptions, graceMs = 30_000): Promise<boolean> {
  const stopped = await Promise.all(clusterNodes(opts).map((n) => stop(nodeOptions(opts, n), graceMs)));
  return stopped.some(Boolean);
}

export interface ClusterStatus {
  readonly nodes: readonly (BrokerStatus & { readonly id: number })[];
  /** Every node's client listener, as clients are given them. */
  readonly brokers: string[];
}

export async function clusterStatus(opts: ClusterOptions): Promise<ClusterStatus> {
  const nodes = clusterNodes(opts);
  const each = await Promise.all(nodes.map(async (n) => ({ ...(await status(nodeOptions(opts, n))), id: n.id })));
  return { nodes: each, brokers: nodes.map((n) => n.broker) };
}

/** Signals one node (SIGKILL by default: no controlled shutdown) and waits until its process is gone. */
export async function killNode(opts: ClusterOptions, id: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const n = node(opts, id);
  const pid = readPid(n.home);
  if (pid === undefined || !isOurBroker(n.home, pid))
    throw new BrokerError(`Node ${String(id)} of the cluster in ${opts.home} is not running.`);
  process.kill(pid, signal);
  while (isOurBroker(n.home, pid)) await sleep(50);
}

/** Starts one node again on its data; resolves once it answers (rejoining the ISR takes longer: waitForIsr). */
export async function restartNode(opts: ClusterOptions, id: number): Promise<void> {
  await start(nodeOptions(opts, node(opts, id)));
}

/** The partitions of each topic as the cluster describes them now: leader, replicas and ISR by node id. */
export async function partitions(admin: Admin, topics: readonly string[]): Promise<Map<string, PartitionMetadata[]>> {
  const found = await admin.fetchTopicMetadata({ topics: [...topics] });
  return new Map(found.topics.map((t) => [t.name, [...t.partitions].sort((a, b) => a.partitionId - b.partitionId)]));
}

/** The node leading a partition, or undefined while it has none. */
export async function leaderOf(admin: Admin, topic: string, partition = 0): Promise<number | undefined> {
  const p = (await partitions(admin, [topic])).get(topic)?.find((x) => x.partitionId === partition);
  return p && p.leader >= 0 ? p.leader : undefined;
}

/**
 * Polls the metadata until `holds` is true of every partition of the topics (answers of a node on its
 * way down or up count as not yet); the error names the partitions that never got there.
 */
export async function waitForPartitions(
  admin: Admin,
  topics: readonly string[],
  holds: (p: PartitionMetadata) => boolean,
  timeoutMs = 120_000,
): Promise<Map<string, PartitionMetadata[]>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: string;
    try {
      const now = await partitions(admin, topics);
      const off = [...now].flatMap(([t, ps]) =>
        ps.filter((p) => !holds(p)).map((p) => `${t}[${String(p.partitionId)}] leader ${String(p.leader)} isr ${p.isr.join('/')}`),
      );
      if (now.size === topics.length && off.length === 0) return now;
      last = off.slice(0, 5).join('; ') || `${String(topics.length - now.size)} topics not described`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new BrokerError(`After ${String(timeoutMs)} ms the partitions were still not as expected: ${last}`);
    await sleep(250);
  }
}

/** Waits until every partition of the topics has a leader and all its replicas in sync. */
export function waitForIsr(admin: Admin, topics: readonly string[], timeoutMs = 120_000): Promise<Map<string, PartitionMetadata[]>> {
  return waitForPartitions(admin, topics, (p) => p.leader >= 0 && p.isr.length === p.replicas.length, timeoutMs);
}
