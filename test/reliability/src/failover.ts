// A broker of a three-node cluster lost the way a machine is lost — SIGKILL, no controlled shutdown —
// while it leads partitions of a run's command, results and order-state topics, then started again:
// what the broker-failover scenario does twice. Each step is waited for on the cluster's metadata
// (a new leader for every partition, the node back in every ISR), never on sleeps alone.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { partitions, waitForIsr, waitForPartitions } from '@paystream/kafka-broker/cluster';
import type { OwnCluster } from '@paystream/kafka-broker/cluster-testing';
import type { PaystreamSystem } from '@paystream/test-harness';

/** The topics a failover must hit: every method's commands, the results and the order state. */
export interface RunTopics {
  readonly commands: readonly string[];
  readonly results: string;
  readonly state: string;
  /** Every topic of the run (DLQs too), waited on until each is fully in sync again. */
  readonly all: readonly string[];
}

export function runTopics(s: PaystreamSystem): RunTopics {
  const commands = s.methods.map((m) => s.names.commands(m));
  const dlqs = s.methods.map((m) => s.names.dlq(m));
  return {
    commands,
    results: s.names.results,
    state: s.names.orderState,
    all: [...commands, ...dlqs, s.names.results, s.names.orderState],
  };
}

/** How many partitions of each kind a node leads now. */
export interface Leadership {
  readonly node: number;
  readonly commands: number;
  readonly results: number;
  readonly state: number;
}

/** Each node's leadership of the run's partitions, most partitions first. */
export async function leadership(admin: Admin, t: RunTopics, nodes: readonly number[]): Promise<Leadership[]> {
  const now = await partitions(admin, [...t.commands, t.results, t.state]);
  const led = (node: number, topics: readonly string[]): number =>
    topics.reduce((n, topic) => n + (now.get(topic) ?? []).filter((p) => p.leader === node).length, 0);
  return nodes
    .map((node) => ({ node, commands: led(node, t.commands), results: led(node, [t.results]), state: led(node, [t.state]) }))
    .sort((a, b) => b.commands + b.results + b.state - (a.commands + a.results + a.state));
}

export interface FailoverReport {
  readonly victim: Leadership;
  /** Orders still waiting for their outcome when the node was killed. */
  readonly unfinished: number;
  /** From the SIGKILL until every partition of the run had a leader on another node. */
  readonly reelectedMs: number;
  readonly downMs: number;
  /** From the restart until the node was back in the ISR of every partition (internal topics too). */
  readonly rejoinedMs: number;
}

export interface FailoverOptions {
  readonly cluster: OwnCluster;
  readonly admin: Admin;
  readonly topics: RunTopics;
  /** How long the node stays down (from the SIGKILL) while traffic goes on. */
  readonly downMs: number;
  readonly unfinished: () => number;
}

/**
 * Kills the node leading the most of the run's partitions — one that leads a command, a results and
 * an order-state partition — waits for new leaders, keeps it down, restarts it and waits until every
 * partition has all three replicas in sync again, so the next failover starts from a whole cluster.
 */
export async function failover(o: FailoverOptions): Promise<FailoverReport> {
  const all = await leadership(
    o.admin,
    o.topics,
    o.cluster.nodes.map((n) => n.id),
  );
  const victim = all.find((l) => l.commands > 0 && l.results > 0 && l.state > 0) ?? all[0];
  if (!victim) throw new Error('no node leads a partition of the run');
  const unfinished = o.unfinished();
  const killedAt = Date.now();
  await o.cluster.kill(victim.node, 'SIGKILL');
  await waitForPartitions(o.admin, [...o.topics.all, '__consumer_offsets'], (p) => p.leader >= 0 && p.leader !== victim.node);
  const reelectedMs = Date.now() - killedAt;
  await sleep(Math.max(0, o.downMs - reelectedMs));
  const downMs = Date.now() - killedAt;
  const restartedAt = Date.now();
  await o.cluster.restart(victim.node);
  await waitForIsr(o.admin, [...o.topics.all, '__consumer_offsets']);
  return { victim, unfinished, reelectedMs, downMs, rejoinedMs: Date.now() - restartedAt };
}

/** One failover in words, for the scenario's faults. */
export function describeFailover(r: FailoverReport, n: number): string {
  const v = r.victim;
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return (
    `failover ${String(n)}: node ${String(v.node)}, leading ${String(v.commands)} command, ${String(v.results)} results and ${String(v.state)} order-state partitions, ` +
    `killed with SIGKILL with ${String(r.unfinished)} orders unfinished; new leaders for every partition after ${s(r.reelectedMs)}; ` +
    `down ${s(r.downMs)}, then restarted on its data and back in every ISR ${s(r.rejoinedMs)} later`
  );
}
