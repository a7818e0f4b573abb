// The alert rules and the dashboard against a real Prometheus scraping a running worker: Midtrans goes
// down (the simulator answers every call with a 500) while charges arrive, PaystreamBreakerOpen and
// PaystreamConsumerLagGrowing fire; Midtrans comes back, both resolve. The rules are alerts.yaml's,
// with their holds shortened so that this takes seconds rather than minutes. Then every query of the
// dashboard is evaluated by that Prometheus, and none errors.
import type {} from '@paystream/kafka-broker/global-setup';
import { startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dashboardQueries, readDashboard } from './observability/dashboard.ts';
import { PrometheusServer } from './observability/prometheus-server.ts';
import { withShortHolds } from './observability/rules.ts';

const JOB = 'paystream-worker';
const OUTAGE_ALERTS = ['PaystreamBreakerOpen', 'PaystreamConsumerLagGrowing'];
const ACTION_REQUIRED = 'paystream.payment.action_required';

let system: PaystreamSystem | undefined;
let prometheus: PrometheusServer | undefined;

beforeAll(async () => {
  system = await startSystem({ name: 'prometheus', brokers: inject('kafkaBrokers'), plugins: ['gopay'], logLevel: 'warn' });
  const slot = system.workers.slots[0];
  if (!slot) throw new Error('no worker started');
  prometheus = await PrometheusServer.start([{ job: JOB, address: `127.0.0.1:${String(slot.opsPort)}` }], [withShortHolds('2s')]);
});

afterAll(async () => {
  await prometheus?.close();
  await system?.close();
});

/** Publishes `count` GoPay charges and returns their order ids. */
async function charge(s: PaystreamSystem, tag: string, count: number): Promise<string[]> {
  const orderIds = Array.from({ length: count }, (_, i) => `${tag}-${String(Date.now())}-${String(i)}`);
  await s.upstream.send(await Promise.all(orderIds.map((orderId) => s.charge({ method: 'gopay', orderId }))));
  return orderIds;
}

const answered = (s: PaystreamSystem, orderIds: readonly string[]): number =>
  orderIds.filter((id) => s.results.ordersWith(ACTION_REQUIRED).has(id)).length;

describe('alerts against a real Prometheus scraping a worker', () => {
  it('fires PaystreamBreakerOpen and PaystreamConsumerLagGrowing in a Midtrans outage, and resolves them after it', async () => {
    const s = system as PaystreamSystem;
    const p = prometheus as PrometheusServer;
    await until(
      async () => (await p.query(`paystream_ready{job="${JOB}"} == 1`)).data?.result.length === 1,
      () => 'Prometheus never saw the worker ready',
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const before = await charge(s, 'calm', 5);
    await until(
      () => answered(s, before) === before.length,
      () => `${String(answered(s, before))} of 5 charges answered before the outage`,
      { timeoutMs: 60_000 },
    );
    expect(await p.firing()).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(PaystreamBreakerOpen|PaystreamConsumerLagGrowing)$/)]),
    );

    await s.simulator.admin.addFault({ kind: 'error-500', path: '*' });
    const during = await charge(s, 'outage', 40);
    let seen = '';
    const fired = await until(
      async () => {
        const firing = await p.firing();
        const breaker = await p.query(`paystream_breaker_open{job="${JOB}"}`);
        const lag = await p.query(`sum(paystream_consumer_lag{job="${JOB}"})`);
        seen = JSON.stringify({ firing, targets: await p.targetHealth(), breaker: breaker.data?.result, lag: lag.data?.result });
        return OUTAGE_ALERTS.every((a) => firing.includes(a)) && firing;
      },
      () => `the outage alerts never fired together; last seen: ${seen}`,
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
    expect(fired).toEqual(expect.arrayContaining(OUTAGE_ALERTS));

    await s.simulator.admin.clearFaults();
    await until(
      () => answered(s, during) === during.length,
      () => `${String(answered(s, during))} of ${String(during.length)} charges answered after the outage`,
      { timeoutMs: 180_000 },
    );
    let firing: string[] = [];
    await until(
      async () => {
        firing = await p.firing();
        return OUTAGE_ALERTS.every((a) => !firing.includes(a));
      },
      () => `still firing after the outage: ${firing.join(', ')}`,
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
  });

  it('evaluates every query of the dashboard without an error', async () => {
    const p = prometheus as PrometheusServer;
    const variables = readDashboard().templating.list.map((v) => v.name);
    expect(variables).toEqual(['datasource', 'job']);
    const queries = dashboardQueries({ job: JOB });
    expect(queries.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const q of queries) {
      const answer = await p.query(q.expr);
      if (answer.status !== 'success') failures.push(`${q.panel} ${q.refId}: ${answer.errorType ?? ''} ${answer.error ?? ''}`);
    }
    expect(failures).toEqual([]);
    // The worker's own series are there to be drawn, not merely valid expressions.
    const ready = await p.query(dashboardQueries({ job: JOB }).find((q) => q.expr.startsWith('paystream_ready'))?.expr ?? '');
    expect(ready.data?.result.length).toBe(1);
  });
});
