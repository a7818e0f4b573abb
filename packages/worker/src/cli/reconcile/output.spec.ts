// What the operator gets: the period and its margins, the report as a table, JSON and CSV (values
// from Midtrans made harmless), and the textfile node-exporter reads.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../args.ts';
import type { Difference } from './differences.ts';
import { metricsText, writeMetricsFile } from './metrics-file.ts';
import { countsOf, render, type Report } from './output.ts';
import { LEAD_MS, spanOf } from './period.ts';

const at = Date.parse('2026-03-01T03:00:00Z');
const differences: Difference[] = [
  {
    kind: 'amount_differs',
    orderId: 'order-1',
    method: 'gopay',
    referenceNo: 'A1-1',
    midtrans: { status: 'succeeded', amount: { value: '11000.00', currency: 'IDR' }, atMs: at },
    paystream: { status: 'succeeded', amount: { value: '10000.00', currency: 'IDR' }, atMs: at + 1_000 },
  },
  {
    kind: 'unknown_to_paystream',
    referenceNo: '=HYPERLINK("x"),\u001b[2J',
    midtrans: { status: 'succeeded', amount: { value: '5.00', currency: 'IDR' }, atMs: at },
  },
];

const report: Report = {
  period: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' },
  resultsRead: { from: '2026-02-28T23:55:00.000Z', to: '2026-03-03T00:00:00.000Z', records: 12 },
  merchant: 'default',
  read: { midtrans: 5, paystream: 4 },
  counts: countsOf(differences),
  differences,
  unverifiable: [{ partition: 1, offset: '42', reason: 'the signature does not match the event' }],
};

describe('the period', () => {
  it('reads results from a little before the period to its end plus the margin, never past now', () => {
    const now = Date.parse('2026-03-10T00:00:00Z');
    const span = spanOf('2026-03-01T00:00:00+07:00', '2026-03-02T00:00:00+07:00', '24h', now);
    expect(span.period).toEqual({ fromMs: Date.parse('2026-02-28T17:00:00Z'), toMs: Date.parse('2026-03-01T17:00:00Z') });
    expect(span.results).toEqual({ fromMs: span.period.fromMs - LEAD_MS, toMs: Date.parse('2026-03-02T17:00:00Z') });
    expect(spanOf('2026-03-09T00:00:00Z', '2026-03-09T12:00:00Z', '7d', now).results.toMs).toBe(now);
    expect(spanOf('2026-03-09T00:00:00Z', '2026-03-09T12:00:00Z', '0', now).results.toMs).toBe(Date.parse('2026-03-09T12:00:00Z'));
  });

  it('refuses a time without its zone, a reversed or future period, and a margin without a unit', () => {
    const now = Date.parse('2026-03-10T00:00:00Z');
    expect(() => spanOf('2026-03-01', '2026-03-02T00:00:00Z', '1h', now)).toThrow(UsageError);
    expect(() => spanOf('2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z', '1h', now)).toThrow('--to must be after --from');
    expect(() => spanOf('2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z', '1h', now)).toThrow('in the future');
    expect(() => spanOf('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', '24', now)).toThrow('--margin');
  });
});

describe('the report', () => {
  it('prints a table with every kind counted and the records that failed verification, control characters escaped', () => {
    const table = render(report, 'table');
    expect(table).toMatch(/^amount_differs +order-1 +gopay +A1-1 +succeeded 11000\.00 IDR +succeeded 10000\.00 IDR$/m);
    expect(table).toContain('missing_in_paystream 0, missing_at_midtrans 0, status_differs 0, amount_differs 1, unknown_to_paystream 1');
    expect(table).toContain('1:42  the signature does not match the event');
    expect(table).not.toContain('\u001b');
    expect(render({ ...report, differences: [], counts: countsOf([]), unverifiable: [] }, 'table')).toContain('no differences');
  });

  it('writes CSV a spreadsheet opens without running a formula, and JSON with times', () => {
    const [head, first, second] = render(report, 'csv').split('\n');
    expect(head).toBe(
      'kind,order_id,method,reference_no,partner_reference_no,midtrans_status,midtrans_amount,midtrans_currency,midtrans_time,paystream_status,paystream_amount,paystream_currency,paystream_time',
    );
    expect(first).toBe(
      'amount_differs,order-1,gopay,A1-1,,succeeded,11000.00,IDR,2026-03-01T03:00:00.000Z,succeeded,10000.00,IDR,2026-03-01T03:00:01.000Z',
    );
    expect(second?.startsWith('unknown_to_paystream,,,"\'=HYPERLINK(""x""),\\u001b[2J"')).toBe(true);
    const json = JSON.parse(render(report, 'json')) as { counts: Record<string, number>; differences: { midtrans: { at: string } }[] };
    expect(json.counts['amount_differs']).toBe(1);
    expect(json.differences[0]?.midtrans.at).toBe('2026-03-01T03:00:00.000Z');
  });

  it('leaves the gauges in a textfile, every kind labelled, replaced whole', () => {
    const figures = { counts: countsOf(differences), unverifiable: 1, finishedAtMs: at };
    expect(metricsText(figures)).toContain('paystream_reconciliation_differences{kind="amount_differs"} 1\n');
    expect(metricsText(figures)).toContain('paystream_reconciliation_differences{kind="missing_in_paystream"} 0\n');
    expect(metricsText(figures)).toContain(`paystream_reconciliation_last_run_timestamp_seconds ${String(at / 1000)}\n`);
    const dir = mkdtempSync(join(tmpdir(), 'paystream-reconcile-'));
    writeMetricsFile(join(dir, 'reconcile.prom'), figures);
    writeMetricsFile(join(dir, 'reconcile.prom'), { ...figures, unverifiable: 0 });
    expect(readdirSync(dir)).toEqual(['reconcile.prom']);
    expect(readFileSync(join(dir, 'reconcile.prom'), 'utf8')).toContain('paystream_reconciliation_unverifiable_results 0\n');
  });

  it('says which file it could not write', () => {
    expect(() =>
      writeMetricsFile('/nonexistent-folder/reconcile.prom', { counts: countsOf([]), unverifiable: 0, finishedAtMs: at }),
    ).toThrow('the reconciliation metrics cannot be written to /nonexistent-folder/reconcile.prom: ENOENT');
  });
});
