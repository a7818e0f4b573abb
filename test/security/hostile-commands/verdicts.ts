// The DLQ read back against what was sent: every DLQ record names the offset of the command it
// refused, so each sent record gets its verdict — the DLQ records for its offset, their codes, and
// whether each record holds to the contract and decrypts.
import { DlqHeaders, DlqRecord, dlqPayload } from '@paystream/contracts';
import type { HostileCase } from './cases.ts';
import { PARTITION } from './partition.ts';
import type { TappedRecord } from './tap.ts';

export interface DlqEntry {
  readonly tapped: TappedRecord;
  /** The offset of the refused command, from the header (or the record when the header is missing). */
  readonly offset: string | undefined;
  readonly code: string | undefined;
  readonly record: DlqRecord | undefined;
  /** Why the record fails the `DlqRecord` contract, when it does. */
  readonly invalid?: string;
  /** The refused command as the operator decrypts it. */
  readonly payload?: string;
  readonly undecryptable?: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function readDlq(records: readonly TappedRecord[], keys: ReadonlyMap<string, Uint8Array>): DlqEntry[] {
  return records.map((tapped) => {
    const json = parseJson(tapped.value?.toString('utf8') ?? '');
    const parsed = DlqRecord.safeParse(json);
    const loose = json as { originalOffset?: unknown } | undefined;
    const offset = tapped.headers[DlqHeaders.offset] ?? (typeof loose?.originalOffset === 'string' ? loose.originalOffset : undefined);
    const base = { tapped, offset, code: tapped.headers[DlqHeaders.code] };
    if (!parsed.success) {
      const invalid = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      return { ...base, record: undefined, invalid };
    }
    try {
      return { ...base, record: parsed.data, payload: dlqPayload(parsed.data, keys) };
    } catch (err) {
      return { ...base, record: parsed.data, undecryptable: err instanceof Error ? err.message : String(err) };
    }
  });
}

export function byOffset(entries: readonly DlqEntry[], commandTopic: string): Map<string, DlqEntry[]> {
  const out = new Map<string, DlqEntry[]>();
  for (const e of entries) {
    const topic = e.tapped.headers[DlqHeaders.topic] ?? e.record?.originalTopic;
    const partition = e.tapped.headers[DlqHeaders.partition] ?? String(e.record?.originalPartition);
    if (topic !== commandTopic || partition !== String(PARTITION) || e.offset === undefined) continue;
    out.set(e.offset, [...(out.get(e.offset) ?? []), e]);
  }
  return out;
}

/** What is wrong with the DLQ's answer to one hostile command; empty when it is right. */
export function dlqProblems(c: HostileCase, entries: readonly DlqEntry[], payloadBytes?: number): string[] {
  if (entries.length !== 1) return [`${String(entries.length)} DLQ records (want 1, ${c.code})`];
  const [e] = entries as [DlqEntry];
  const out: string[] = [];
  if (e.code !== c.code) out.push(`header code ${e.code ?? '(none)'} (want ${c.code})`);
  if (e.invalid) out.push(`fails the DlqRecord contract: ${e.invalid.slice(0, 300)}`);
  else if (e.record?.code !== c.code) out.push(`record code ${e.record?.code ?? '(none)'} (want ${c.code})`);
  if (e.undecryptable) out.push(`payload does not decrypt with the configured event-encryption key: ${e.undecryptable}`);
  if (e.record && payloadBytes !== undefined && e.record.payloadBytes !== payloadBytes)
    out.push(`payloadBytes ${String(e.record.payloadBytes)} (want ${String(payloadBytes)})`);
  if (e.record && c.code === 'PS_ERR_COMMAND_TOO_LARGE') {
    if (e.record.payloadTruncated !== true) out.push('payloadTruncated is not true');
    if (e.payload !== undefined && Buffer.byteLength(e.payload) > 64 * 1024)
      out.push(`payload keeps ${String(Buffer.byteLength(e.payload))} bytes`);
  }
  return out;
}

/** The size of a sent value, as `payloadBytes` should report it. */
export const sizeOf = (value: string | Buffer | null): number => (value === null ? 0 : Buffer.byteLength(value));
