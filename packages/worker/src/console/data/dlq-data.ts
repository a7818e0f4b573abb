// The DLQ as the console shows it: a listing across methods without any payload, and one record
// whose refused command is decrypted and masked for an `operator` or above, hidden from a `viewer`.
// Records are read and checked as `paystream dlq inspect` reads them (cli/dlq/dlq-records.ts).
import type { Admin, Kafka } from 'kafkajs';
import type { DlqRecord } from '@paystream/contracts';
import type { FieldCipher } from '@paystream/core';
import type { RangeRecord, Topology } from '@paystream/runtime';
import { roleAtLeast, type Role } from '../api-route.ts';
import { isReadable, toEntry, type DlqEntry } from '../../cli/dlq/dlq-records.ts';
import { decryptPayload } from '../../cli/dlq/payload-reader.ts';
import { existing, iso, readBounded } from './bounded-read.ts';
import { maskedText, maskValue } from './masking.ts';
import { notFound } from './query.ts';

export const DLQ_LIMIT = { default: 100, max: 500 } as const;

export interface DlqSources {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly names: Topology;
}

export interface DlqFilter {
  readonly methods: readonly string[];
  readonly code: string | undefined;
  readonly fromMs: number;
  readonly toMs: number;
  readonly limit: number;
}

export type ListedDlq = Readonly<{ method: string; partition: number; offset: string; at: string }> & Readonly<Record<string, unknown>>;

/** One record as listed: where it is, when it came, its clear fields; never its payload. */
export function listed(method: string, r: RangeRecord, entry: DlqEntry): ListedDlq {
  const where = { method, partition: r.partition, offset: r.offset, at: iso(r.timestamp) };
  if (!isReadable(entry)) return { ...where, unreadable: entry.unreadable };
  const { payload: _payload, ...clear } = entry.record;
  return { ...where, orderId: entry.key, ...(maskValue(clear) as object) };
}

/** Whether the entry passes the code filter; an unreadable record has no code, so a code filter leaves it out. */
export const passes = (entry: DlqEntry, code: string | undefined): boolean =>
  code === undefined || (isReadable(entry) && entry.record.code === code);

/** The newest first, at most `limit`; records of the same millisecond by method, partition, offset (descending). */
export function newestFirst<T extends { readonly at: unknown; readonly offset: unknown }>(items: readonly T[], limit: number): T[] {
  return [...items].sort((a, b) => String(b.at).localeCompare(String(a.at)) || Number(b.offset) - Number(a.offset)).slice(0, limit);
}

export async function listDlq(s: DlqSources, f: DlqFilter): Promise<{ records: ListedDlq[]; truncated: boolean }> {
  const present = await existing(
    s.admin,
    f.methods.map((m) => s.names.dlq(m)),
  );
  let kept: ListedDlq[] = [];
  let truncated = false;
  for (const method of f.methods.filter((m) => present.has(s.names.dlq(m)))) {
    const read = await readBounded(s.kafka, s.admin, s.names.dlq(method), { fromMs: f.fromMs, toMs: f.toMs }, (r) => {
      const entry = toEntry(r.partition, r);
      if (passes(entry, f.code)) kept.push(listed(method, r, entry));
      // Only the newest `limit` can be answered: the rest is let go as the reading goes.
      if (kept.length >= 4 * f.limit) kept = newestFirst(kept, f.limit);
      return true;
    });
    truncated ||= read.truncated;
  }
  return { records: newestFirst(kept, f.limit), truncated };
}

type Payload = { readonly payload: unknown } | { readonly payload: null; readonly payloadNote: string };

/** The refused command, decrypted as `dlq inspect` decrypts it, and masked. */
function payloadOf(cipher: FieldCipher, record: DlqRecord): Payload {
  const read = decryptPayload(cipher, record);
  return 'text' in read ? { payload: maskedText(read.text) } : { payload: null, payloadNote: read.error };
}

export interface DlqAt {
  readonly method: string;
  readonly partition: number;
  readonly offset: string;
}

/** One record; its payload only for an operator or above. Reads its partition up to the record (bounded). */
export async function dlqRecord(s: DlqSources, cipher: FieldCipher, role: Role, at: DlqAt): Promise<Record<string, unknown>> {
  const topic = s.names.dlq(at.method);
  const missing = notFound.record(topic, `${String(at.partition)}:${at.offset}`);
  if (!(await existing(s.admin, [topic])).has(topic)) throw missing;
  const span = (await s.admin.fetchTopicOffsets(topic)).find((p) => p.partition === at.partition);
  const wanted = Number(at.offset);
  if (!span || wanted < Number(span.low) || wanted >= Number(span.high)) throw missing;
  let found: RangeRecord | undefined;
  await readBounded(s.kafka, s.admin, topic, { partitions: [at.partition] }, (r) => {
    if (Number(r.offset) === wanted) found = r;
    return Number(r.offset) < wanted;
  });
  if (!found) throw missing;
  return shownTo(role, cipher, at.method, found);
}

/** A record as `role` may see it: the payload decrypted and masked for an operator or above, else hidden. */
export function shownTo(role: Role, cipher: FieldCipher, method: string, r: RangeRecord): Record<string, unknown> {
  const entry = toEntry(r.partition, r);
  const shown = listed(method, r, entry);
  if (!isReadable(entry)) return shown;
  if (!roleAtLeast(role, 'operator')) return { ...shown, payload: null, payloadHidden: true };
  return { ...shown, ...payloadOf(cipher, entry.record), payloadHidden: false };
}
