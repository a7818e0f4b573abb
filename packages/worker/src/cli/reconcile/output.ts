// The reconciliation report as an operator reads it (a table), as a program reads it (JSON) and as
// finance opens it (CSV). Midtrans' references come from outside: every printed field goes through
// `printable`, and a CSV cell that a spreadsheet would run as a formula is defused.
import { printable, printableJson } from '../dlq/printable.ts';
import { DIFFERENCE_KINDS, type Difference, type DifferenceKind, type Side } from './differences.ts';
import type { Unverifiable } from './results-reader.ts';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface Report {
  /** The period reconciled, [from, to). */
  readonly period: { readonly from: string; readonly to: string };
  /** The span of result events read: the period widened by the margins. */
  readonly resultsRead: { readonly from: string; readonly to: string; readonly records: number };
  readonly merchant: string;
  readonly method?: string;
  /** Midtrans transactions read (listed and looked up) and Paystream orders with a verified result. */
  readonly read: { readonly midtrans: number; readonly paystream: number };
  readonly counts: Readonly<Record<DifferenceKind, number>>;
  readonly differences: readonly Difference[];
  readonly unverifiable: readonly Unverifiable[];
}

export function countsOf(differences: readonly Difference[]): Record<DifferenceKind, number> {
  const counts = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as Record<DifferenceKind, number>;
  for (const d of differences) counts[d.kind]++;
  return counts;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const sideJson = (s: Side | undefined) => s && { status: s.status, amount: s.amount, at: iso(s.atMs) };

export function toJson(report: Report): string {
  const differences = report.differences.map((d) => ({ ...d, midtrans: sideJson(d.midtrans), paystream: sideJson(d.paystream) }));
  return JSON.stringify(printableJson({ ...report, differences }), null, 2);
}

const CSV_COLUMNS = [
  'kind',
  'order_id',
  'method',
  'reference_no',
  'partner_reference_no',
  'midtrans_status',
  'midtrans_amount',
  'midtrans_currency',
  'midtrans_time',
  'paystream_status',
  'paystream_amount',
  'paystream_currency',
  'paystream_time',
] as const;

/** RFC 4180 quoting; a cell a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`. */
function cell(value: string | undefined): string {
  const text = printable(value ?? '');
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const sideCells = (s: Side | undefined): (string | undefined)[] =>
  s ? [s.status, s.amount.value, s.amount.currency, iso(s.atMs)] : [undefined, undefined, undefined, undefined];

export function toCsv(report: Report): string {
  const rows = report.differences.map((d) =>
    [d.kind, d.orderId, d.method, d.referenceNo, d.partnerReferenceNo, ...sideCells(d.midtrans), ...sideCells(d.paystream)]
      .map(cell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\n');
}

const sideText = (s: Side | undefined): string => (s ? `${s.status} ${s.amount.value} ${s.amount.currency}` : '—');

export function toTable(report: Report): string {
  const head = ['KIND', 'ORDER', 'METHOD', 'MIDTRANS REFERENCE', 'MIDTRANS', 'PAYSTREAM'];
  const rows = report.differences.map((d) => [
    d.kind,
    d.orderId ?? '—',
    d.method ?? '—',
    d.referenceNo ?? '—',
    sideText(d.midtrans),
    sideText(d.paystream),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const scope = `${report.period.from} – ${report.period.to}, merchant ${report.merchant}${report.method ? `, method ${report.method}` : ''}`;
  const out = [
    `reconciled ${scope}: ${String(report.read.midtrans)} Midtrans transactions, ${String(report.read.paystream)} Paystream orders`,
    ...(rows.length > 0 ? ['', line(head), ...rows.map(line)] : ['', 'no differences']),
    '',
    DIFFERENCE_KINDS.map((k) => `${k} ${String(report.counts[k])}`).join(', '),
  ];
  if (report.unverifiable.length > 0) {
    out.push(`${String(report.unverifiable.length)} result record(s) failed verification and were not used:`);
    for (const u of report.unverifiable) out.push(`  ${String(u.partition)}:${u.offset}  ${u.reason}`);
  }
  return out.map(printable).join('\n');
}

export function render(report: Report, format: Format): string {
  return format === 'json' ? toJson(report) : format === 'csv' ? toCsv(report) : toTable(report);
}
