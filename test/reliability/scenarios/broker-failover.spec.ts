// A three-broker cluster losing a broker twice, as production loses a machine: charges flow through
// two workers while the node leading the most partitions of the command, results and order-state
// topics is killed with SIGKILL (no controlled shutdown), kept down while traffic goes on, and
// started again on its data; once it is back in every ISR, the next leader goes the same way. Every
// topic has three replicas and needs two in sync (min.insync.replicas=2), and every write of the
// workers and of upstream is acks=all and idempotent, so no acknowledged write is lost with its
// leader: the workers — never restarted — follow the new leaders, and every order ends in exactly
// one verified outcome.
import type { PaymentCommand } from '@paystream/contracts';
import { waitForIsr } from '@paystream/kafka-broker/cluster';
import { ownCluster, type OwnCluster } from '@paystream/kafka-broker/cluster-testing';
import { startSystem, type PaystreamSystem } from '@paystream/test-harness';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAtLeastOnce, type Resends } from '../src/at-least-once.ts';
import { describeFailover, failover, runTopics, type FailoverReport } from '../src/failover.ts';
import { sized } from '../src/record.ts';
import { conclude, expectClean, expectPaidOnce, orderPlan, PAYING_METHODS, reached, runTag, untilAll } from '../src/scenario.ts';

const TOTAL = sized(300, 2_000);
/** Waves spread over both failovers, so each meets charges arriving. */
const WAVES = sized(40, 60);
const GAP_MS = sized(1_000, 1_500);
/** Each node stays down this long from its SIGKILL: longer than a new leader takes (a 9 s broker session). */
const DOWN_MS = sized(15_000, 20_000);
/** The waves after which the two failovers begin. */
const FAILOVER_AT = [Math.floor(WAVES / 8), Math.floor(WAVES / 2)];
const WORKERS = 2;
const RUN_MS = sized(300_000, 900_000);

let cluster: OwnCluster | undefined;
let admin: Admin | undefined;
let system: PaystreamSystem | undefined;

beforeAll(async () => {
  cluster = await ownCluster('broker-failover');
  admin = await cluster.admin();
  system = await startSystem({ name: 'broker-failover', brokers: cluster.brokers, workers: WORKERS, plugins: [...PAYING_METHODS] });
}, 300_000);

afterAll(async () => {
  try {
    await system?.close();
  } finally {
    await cluster?.close();
  }
}, 300_000);

describe('broker-failover: the partition leaders of a three-broker cluster killed with SIGKILL and restarted, twice', () => {
  it(
    'ends every order with one action_required and one succeeded, one charge each, nothing in the DLQ',
    async () => {
      const s = system as PaystreamSystem;
      const c = cluster as OwnCluster;
      const a = admin as Admin;
      const startedAt = Date.now();
      const topics = runTopics(s);
      // The run's topics take the cluster's defaults, as a deployment's would: three replicas, two in sync.
      const replicas = [...(await waitForIsr(a, topics.all)).values()].flat().map((p) => p.replicas.length);
      const { resources } = await a.describeConfigs({
        resources: [topics.results, topics.state, ...topics.commands].map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['min.insync.replicas'],
        })),
        includeSynonyms: false,
      });
      const minInsync = new Set(resources.flatMap((r) => r.configEntries.map((e) => e.configValue)));

      const specs = orderPlan(runTag('failover'), TOTAL);
      const sent: PaymentCommand[] = [];
      const failovers: Promise<FailoverReport>[] = [];
      const resends: Resends = { count: 0, reasons: new Set() };
      const customers = s.payWhenAsked(
        specs.map((o) => o.orderId),
        { timeoutMs: RUN_MS },
      );
      const step = (): Promise<FailoverReport> =>
        failover({ cluster: c, admin: a, topics, downMs: DOWN_MS, unfinished: () => sent.length - reached(s, sent) });
      await publishAtLeastOnce(
        s,
        specs,
        {
          waves: WAVES,
          gapMs: GAP_MS,
          // Upstream goes on publishing while a leader is down; the second failover waits for the first to heal.
          after: async (w) => {
            const k = FAILOVER_AT.indexOf(w);
            if (k === -1) return;
            if (k > 0) await failovers[k - 1];
            const running = step();
            // Awaited below; a publish failing meanwhile must not leave it unhandled.
            running.catch(() => undefined);
            failovers.push(running);
          },
        },
        sent,
        resends,
      );
      const reports = await Promise.all(failovers);
      await customers;
      await untilAll(s, sent, RUN_MS);
      const figures = conclude(s, {
        scenario: 'broker-failover',
        charges: sent,
        startedAt,
        faults: [
          `${String(WORKERS)} workers on a three-broker cluster of their own (every node broker and KRaft controller); ${String(TOTAL)} charges over ${PAYING_METHODS.join(', ')} in ${String(WAVES)} waves, customers paying as asked`,
          `${String(replicas.length)} partitions of the run, each with ${[...new Set(replicas)].join('/')} replicas; min.insync.replicas ${[...minInsync].join('/')}`,
          ...reports.map((r, i) => describeFailover(r, i + 1)),
          `${String(resends.count)} upstream sends made again after the client gave up on a dead leader${resends.reasons.size > 0 ? ` (${[...resends.reasons].join('; ')})` : ''}: the same commands, so a command may be read twice`,
          `${String(s.results.duplicates)} redelivered copies of events deduplicated by id`,
        ],
      });
      expectClean(figures);
      expectPaidOnce(s, sent);
      expect(new Set(replicas)).toEqual(new Set([3]));
      expect(minInsync).toEqual(new Set(['2']));
      // Two failovers, each of a node leading command, results and order-state partitions, each meeting unfinished orders.
      expect(reports.map((r) => r.victim.commands > 0 && r.victim.results > 0 && r.victim.state > 0 && r.unfinished > 0)).toEqual([
        true,
        true,
      ]);
      // The workers rode it out: never restarted, all alive.
      expect(s.workers.slots.map((w) => w.starts)).toEqual(s.workers.slots.map(() => 1));
      expect(s.workers.alive()).toEqual(s.workers.slots.map((w) => w.index));
    },
    RUN_MS + 300_000,
  );
});
