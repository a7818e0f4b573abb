// Test helper: a three-node cluster of a test's own (a temporary home, six free loopback ports), for
// faults of the brokers themselves; the shared test broker serves other suites meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import {
  CLUSTER_NODES,
  clusterNodes,
  killNode,
  restartNode,
  startCluster,
  stopCluster,
  type ClusterNode,
  type ClusterOptions,
} from './cluster.ts';

export interface OwnCluster {
  /** Every node's client listener. */
  readonly brokers: string[];
  readonly nodes: readonly ClusterNode[];
  readonly options: ClusterOptions;
  /** SIGKILL by default: the node dies mid-write, as a crashed machine does. */
  kill(id: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a node again on its data; resolves once it answers metadata requests. */
  restart(id: number): Promise<void>;
  /** An admin client of every node (connected; disconnected by close()). */
  admin(): Promise<Admin>;
  /** Stops every node (SIGKILL: the data is thrown away) and removes the home. */
  close(): Promise<void>;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createServer()
      .once('error', () => done(false))
      .listen(port, '127.0.0.1', () => s.close(() => done(true)));
  });
}

/** The first of `count` consecutive ports that are all free right now. */
async function freePortBlock(count: number): Promise<number> {
  for (;;) {
    const first = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => done(p));
      });
    });
    if (first + count > 65535) continue;
    let free = true;
    for (let p = first + 1; free && p < first + count; p++) free = await bindable(p);
    if (free) return first;
  }
}

export async function ownCluster(name: string): Promise<OwnCluster> {
  const options: ClusterOptions = {
    home: mkdtempSync(join(tmpdir(), `paystream-${name}-cluster-`)),
    port: await freePortBlock(2 * CLUSTER_NODES),
    readyTimeoutMs: 180_000,
  };
  const nodes = clusterNodes(options);
  const admins: Admin[] = [];
  try {
    await startCluster(options);
  } catch (err) {
    await stopCluster(options, 0);
    rmSync(options.home, { recursive: true, force: true });
    throw err;
  }
  return {
    brokers: nodes.map((n) => n.broker),
    nodes,
    options,
    kill: (id, signal) => killNode(options, id, signal),
    restart: (id) => restartNode(options, id),
    admin: async () => {
      const admin = new Kafka({
        clientId: `paystream-${name}-cluster-admin`,
        brokers: nodes.map((n) => n.broker),
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      admins.push(admin);
      return admin;
    },
    close: async () => {
      await Promise.all(admins.map((a) => a.disconnect().catch(() => undefined)));
      await stopCluster(options, 0);
      rmSync(options.home, { recursive: true, force: true });
    },
  };
}
