import { afterEach, describe, expect, it } from 'vitest';
import { startOperations, WorkerMetrics } from './operations.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
});

describe('operations endpoints', () => {
  it('reports live, ready with reasons, and Prometheus metrics', async () => {
    const metrics = new WorkerMetrics();
    let reasons = ['breaker open: default/snap'];
    const ops = await startOperations(metrics, () => reasons);
    close = ops.close;
    expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${ops.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ready: false, reasons: ['breaker open: default/snap'] });
    reasons = [];
    expect((await fetch(`${ops.url}/readyz`)).status).toBe(200);
    metrics.commands.inc({ method: 'gopay', outcome: 'action_required' });
    metrics.midtransLatency.observe({ family: 'snap', path: '/v1.0/debit/payment-host-to-host', result: 'ok' }, 0.12);
    const text = await (await fetch(`${ops.url}/metrics`)).text();
    expect(text).toContain('paystream_commands_total{method="gopay",outcome="action_required"} 1');
    expect(text).toContain('paystream_midtrans_call_seconds_bucket');
    expect((await fetch(`${ops.url}/nope`)).status).toBe(404);
  });

  it('copies a total kept elsewhere into its counter, which stays a counter', async () => {
    const metrics = new WorkerMetrics();
    WorkerMetrics.setTotal(metrics.tokenRequests, 3);
    WorkerMetrics.setTotal(metrics.tokenRequests, 5);
    const text = await metrics.text();
    expect(text).toContain('# TYPE paystream_access_token_requests_total counter');
    expect(text).toContain('paystream_access_token_requests_total 5');
  });
});
