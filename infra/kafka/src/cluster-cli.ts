// `npm run kafka:start | kafka:stop | kafka:status -- --brokers 3`: the three-node cluster (cluster.ts).
import { BrokerError } from './broker.ts';
import { CLUSTER_NODES, clusterOptionsFromEnv, clusterStatus, startCluster, stopCluster } from './cluster.ts';

/** How many brokers `--brokers N` (or `--brokers=N`) asks for: 1 (the default) or the cluster's 3. */
export function brokerCount(flags: readonly string[], secure: boolean): number {
  const at = flags.findIndex((f) => f === '--brokers' || f.startsWith('--brokers='));
  if (at === -1) return 1;
  const flag = flags[at] ?? '';
  const given = flag.includes('=') ? flag.split('=')[1] : flags[at + 1];
  const count = Number(given);
  if (count !== 1 && count !== CLUSTER_NODES) {
    throw new BrokerError(`--brokers takes 1 or ${String(CLUSTER_NODES)}, got "${given ?? ''}"`);
  }
  if (count > 1 && secure) throw new BrokerError('--brokers 3 runs a PLAINTEXT cluster; it cannot be combined with --secure.');
  return count;
}

export async function clusterMain(command: string | undefined): Promise<number> {
  const opts = clusterOptionsFromEnv();
  switch (command) {
    case 'start': {
      const began = Date.now();
      const started = await startCluster(opts);
      const s = await clusterStatus(opts);
      const pids = s.nodes.map((n) => `node ${String(n.id)} pid ${String(n.pid)}`).join(', ');
      console.log(
        started
          ? `Kafka cluster of ${String(CLUSTER_NODES)} brokers started in ${((Date.now() - began) / 1000).toFixed(1)} s (${pids}); data in ${opts.home}.`
          : `Kafka cluster already running (${pids}).`,
      );
      console.log(`Brokers: ${s.brokers.join(',')}`);
      console.log('Stop it with: npm run kafka:stop -- --brokers 3');
      return 0;
    }
    case 'stop': {
      const stopped = await stopCluster(opts);
      console.log(stopped ? `Kafka cluster stopped; data kept in ${opts.home}.` : 'No Kafka cluster of this project was running.');
      return 0;
    }
    case 'status': {
      const s = await clusterStatus(opts);
      for (const n of s.nodes) {
        console.log(
          n.running
            ? `node ${String(n.id)}: running, pid ${String(n.pid)}, ${n.ready ? 'answering' : 'NOT answering'} on ${n.brokers}`
            : `node ${String(n.id)}: not running (port ${n.brokers})`,
        );
      }
      return s.nodes.every((n) => n.running && n.ready) ? 0 : 1;
    }
    default:
      console.error('usage: node infra/kafka/src/cli.ts start|stop|status --brokers 3   (env: KAFKA_PORT, KAFKA_HOME)');
      return 2;
  }
}
