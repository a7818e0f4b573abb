import { Writable } from 'node:stream';
import { createLogger } from '@paystream/core';
import { WorkerMetrics } from '@paystream/runtime';
import { describe, expect, it } from 'vitest';
import { notificationCounter, outcomeCounter, reconciliationCounter } from './metrics.ts';
import { OutcomeSummary } from './outcome-summary.ts';

function parts(): { metrics: WorkerMetrics; log: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, done) => done(void lines.push(JSON.parse(c.toString()) as Record<string, unknown>)) });
  return { metrics: new WorkerMetrics(), log: createLogger({ name: 'metrics', level: 'info' }, sink), lines };
}

describe('metrics wiring', () => {
  it('counts outcomes by a loaded method or `unknown`, refusals by code too, and logs refusals only at info', async () => {
    const { metrics, log, lines } = parts();
    const summary = new OutcomeSummary();
    const count = outcomeCounter({ metrics, log, plugins: new Map([['gopay', {}]]), summary });
    count({ kind: 'result', method: 'gopay', status: 'succeeded', latencyMs: 40 });
    count({ kind: 'ignored', method: 'gopay', status: 'pending', reason: 'pending after settlement' });
    count({ kind: 'refused', method: 'made-up', code: 'PS_ERR_COMMAND_UNKNOWN_METHOD', message: 'no such method' });
    const text = await metrics.text();
    expect(text).toContain('paystream_commands_total{method="gopay",outcome="succeeded"} 1');
    expect(text).toContain('paystream_commands_total{method="gopay",outcome="ignored"} 1');
    expect(text).toContain('paystream_commands_total{method="unknown",outcome="PS_ERR_COMMAND_UNKNOWN_METHOD"} 1');
    expect(text).not.toContain('made-up');
    expect(text).toContain('paystream_dlq_total{code="PS_ERR_COMMAND_UNKNOWN_METHOD"} 1');
    expect(text).toContain('paystream_command_result_seconds_count{method="gopay"} 1');
    expect(summary.take()).toMatchObject({ commands: 3, latencyMsMax: 40 });
    expect(lines.filter((l) => l['msg'] === 'command done').map((l) => l['kind'])).toEqual(['refused']);
  });

  it('counts an inquiry that changed nothing as `unchanged`, and notifications by outcome', async () => {
    const { metrics, log } = parts();
    const reconciled = reconciliationCounter({ metrics, log });
    reconciled({ orderId: 'o-1', outcome: 'still pending' });
    reconciled({ orderId: 'o-2', outcome: 'succeeded' });
    reconciled({ orderId: 'o-3', outcome: 'inquiry failed: PS_ERR_MIDTRANS_UNAVAILABLE' });
    notificationCounter({ metrics, log })({ outcome: 'rate-limited' } as Parameters<ReturnType<typeof notificationCounter>>[0]);
    const text = await metrics.text();
    expect(text).toContain('paystream_reconciler_inquiries_total{outcome="unchanged"} 1');
    expect(text).toContain('paystream_reconciler_inquiries_total{outcome="succeeded"} 1');
    expect(text).toContain('paystream_reconciler_inquiries_total{outcome="inquiry failed"} 1');
    expect(text).toContain('paystream_notifications_total{outcome="rate-limited"} 1');
  });
});
