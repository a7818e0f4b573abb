// What may travel on from an upstream command to its result: `traceparent` only in W3C form (else
// dropped, or a fresh one started), `correlation-id` only when it is at most 128 printable ASCII
// characters. Valid charges carry good and bad values of both; every result record is held to it.
import type { IHeaders } from 'kafkajs';
import type { TappedRecord } from './tap.ts';

export const W3C_TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const CORRELATION_ID = /^[\x20-\x7e]{1,128}$/;

export const GOOD_TRACE = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
export const GOOD_CORRELATION = 'checkout-7f3a-42';

/** Headers of valid charges: the first pair must be kept as sent, the others dropped. */
export const TRACE_HEADERS: readonly { readonly name: string; readonly headers: IHeaders; readonly kept: boolean }[] = [
  { name: 'W3C traceparent, short correlation-id', headers: { traceparent: GOOD_TRACE, 'correlation-id': GOOD_CORRELATION }, kept: true },
  {
    name: 'junk traceparent, 129-character correlation-id',
    headers: { traceparent: 'not-a-traceparent', 'correlation-id': 'c'.repeat(129) },
    kept: false,
  },
  { name: 'correlation-id with escape sequences', headers: { 'correlation-id': 'abc\u001b[31mdef\u0007' }, kept: false },
  {
    name: 'traceparent and correlation-id given twice',
    headers: { traceparent: [GOOD_TRACE, GOOD_TRACE], 'correlation-id': ['a', 'b'] },
    kept: false,
  },
  {
    name: 'all-zero trace id, non-ASCII correlation-id',
    headers: { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01', 'correlation-id': 'pesanan-é' },
    kept: false,
  },
];

function eventTraceparent(r: TappedRecord): unknown {
  try {
    return (JSON.parse(r.value?.toString('utf8') ?? '') as { traceparent?: unknown }).traceparent;
  } catch {
    return undefined;
  }
}

/** Result records whose traceparent (header or event field) or correlation-id breaks the rule. */
export function traceProblems(results: readonly TappedRecord[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    const where = `results@${r.offset} (${r.key?.toString('utf8') ?? ''})`;
    const header = r.headers['traceparent'];
    const field = eventTraceparent(r);
    const correlation = r.headers['correlation-id'];
    if (header !== undefined && !W3C_TRACEPARENT.test(header))
      out.push(`${where}: traceparent header ${JSON.stringify(header.slice(0, 80))}`);
    if (field !== undefined && (typeof field !== 'string' || !W3C_TRACEPARENT.test(field)))
      out.push(`${where}: event traceparent ${JSON.stringify(field).slice(0, 80)}`);
    if (correlation !== undefined && !CORRELATION_ID.test(correlation))
      out.push(`${where}: correlation-id ${JSON.stringify(correlation.slice(0, 80))} (${String(correlation.length)} characters)`);
  }
  return out;
}

/** How a charge's first result carried its headers on: kept exactly, or dropped (a fresh traceparent allowed). */
export function carriedOn(sent: IHeaders, result: TappedRecord, kept: boolean): string[] {
  const out: string[] = [];
  const sentTrace = sent['traceparent']?.toString();
  const sentCorrelation = sent['correlation-id']?.toString();
  const trace = result.headers['traceparent'];
  const correlation = result.headers['correlation-id'];
  if (kept) {
    if (trace !== sentTrace) out.push(`traceparent ${String(trace)} (sent ${String(sentTrace)})`);
    if (eventTraceparent(result) !== sentTrace)
      out.push(`event traceparent ${String(eventTraceparent(result))} (sent ${String(sentTrace)})`);
    if (correlation !== sentCorrelation) out.push(`correlation-id ${String(correlation)} (sent ${String(sentCorrelation)})`);
    return out;
  }
  if (sentTrace !== undefined && trace === sentTrace) out.push('the invalid traceparent was kept');
  if (sentCorrelation !== undefined && correlation !== undefined)
    out.push(`correlation-id kept: ${JSON.stringify(correlation.slice(0, 40))}`);
  return out;
}
